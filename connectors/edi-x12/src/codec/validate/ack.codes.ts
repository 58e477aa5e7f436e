/**
 * Code lists of the X12 acknowledgments, as defined by the standard's data element dictionary: interchange
 * acknowledgment (I17) and note codes (I18) of the TA1, segment syntax errors (720, and 620 in the 999), element
 * syntax errors (723, and 621 in the 999), set acknowledgment (717), set syntax errors (718, and 618 in the 999),
 * group acknowledgment (715) and group syntax errors (716).
 */

/** TA104 interchange acknowledgment code (I17). */
export type Ta1Status = 'A' | 'E' | 'R';

/** TA105 interchange note codes (I18). */
export const ta1NoteCodes = {
  '000': 'No error',
  '001': 'The Interchange Control Number in the Header and Trailer Do Not Match. The Value From the Header is Used in the Acknowledgment.',
  '002': 'This Standard as Noted in the Control Standards Identifier is Not Supported.',
  '003': 'This Version of the Controls is Not Supported',
  '004': 'The Segment Terminator is Invalid',
  '005': 'Invalid Interchange ID Qualifier for Sender',
  '006': 'Invalid Interchange Sender ID',
  '007': 'Invalid Interchange ID Qualifier for Receiver',
  '008': 'Invalid Interchange Receiver ID',
  '009': 'Unknown Interchange Receiver ID',
  '010': 'Invalid Authorization Information Qualifier Value',
  '011': 'Invalid Authorization Information Value',
  '012': 'Invalid Security Information Qualifier Value',
  '013': 'Invalid Security Information Value',
  '014': 'Invalid Interchange Date Value',
  '015': 'Invalid Interchange Time Value',
  '016': 'Invalid Interchange Standards Identifier Value',
  '017': 'Invalid Interchange Version ID Value',
  '018': 'Invalid Interchange Control Number Value',
  '019': 'Invalid Acknowledgment Requested Value',
  '020': 'Invalid Test Indicator Value',
  '021': 'Invalid Number of Included Groups Value',
  '022': 'Invalid Control Structure',
  '023': 'Improper (Premature) End-of-File (Transmission)',
  '024': 'Invalid Interchange Content (e.g., Invalid GS Segment)',
  '025': 'Duplicate Interchange Control Number',
  '026': 'Invalid Data Element Separator',
  '027': 'Invalid Component Element Separator',
  '028': 'Invalid Delivery Date in Deferred Delivery Request',
  '029': 'Invalid Delivery Time in Deferred Delivery Request',
  '030': 'Invalid Delivery Time Code in Deferred Delivery Request',
  '031': 'Invalid Grade of Service Code',
} as const;

/** A TA105 note code. */
export type Ta1NoteCode = keyof typeof ta1NoteCodes;

/** Note codes after which the interchange is still processed (TA104 `E`); every other error rejects it (`R`). */
export const ta1AcceptedWithErrorCodes: ReadonlySet<Ta1NoteCode> = new Set<Ta1NoteCode>(['021']);

/** AK304 / IK304 segment syntax error codes (720, 620). */
export const segmentErrorCodes = {
  '1': 'Unrecognized segment ID',
  '2': 'Unexpected segment',
  '3': 'Required Segment Missing',
  '4': 'Loop Occurs Over Maximum Times',
  '5': 'Segment Exceeds Maximum Use',
  '6': 'Segment Not in Defined Transaction Set',
  '7': 'Segment Not in Proper Sequence',
  '8': 'Segment Has Data Element Errors',
  I4: 'Implementation "Not Used" Segment Present',
  I6: 'Implementation Dependent Segment Missing',
  I7: 'Implementation Loop Occurs Under Minimum Times',
  I8: 'Implementation Segment Below Minimum Use',
  I9: 'Implementation Dependent "Not Used" Segment Present',
} as const;

/** A segment syntax error code. */
export type SegmentErrorCode = keyof typeof segmentErrorCodes;

/** AK403 / IK403 element syntax error codes (723, 621). */
export const elementErrorCodes = {
  '1': 'Required Data Element Missing',
  '2': 'Conditional Required Data Element Missing',
  '3': 'Too Many Data Elements',
  '4': 'Data Element Too Short',
  '5': 'Data Element Too Long',
  '6': 'Invalid Character In Data Element',
  '7': 'Invalid Code Value',
  '8': 'Invalid Date',
  '9': 'Invalid Time',
  '10': 'Exclusion Condition Violated',
  '12': 'Too Many Repetitions',
  '13': 'Too Many Components',
  I6: 'Code Value Not Used in Implementation',
  I9: 'Implementation Dependent Data Element Missing',
  I10: 'Implementation "Not Used" Data Element Present',
  I11: 'Implementation Too Few Repetitions',
  I12: 'Implementation Pattern Match Failure',
  I13: 'Implementation Dependent "Not Used" Data Element Present',
} as const;

/** An element syntax error code. */
export type ElementErrorCode = keyof typeof elementErrorCodes;

/** AK501 / IK501 transaction set acknowledgment code (717). */
export type SetStatus = 'A' | 'E' | 'M' | 'R' | 'W' | 'X';

/** AK502-AK506 / IK502-IK506 transaction set syntax error codes (718, 618). */
export const setErrorCodes = {
  '1': 'Transaction Set Not Supported',
  '2': 'Transaction Set Trailer Missing',
  '3': 'Transaction Set Control Number in Header and Trailer Do Not Match',
  '4': 'Number of Included Segments Does Not Match Actual Count',
  '5': 'One or More Segments in Error',
  '6': 'Missing or Invalid Transaction Set Identifier',
  '7': 'Missing or Invalid Transaction Set Control Number',
  '23': 'Transaction Set Control Number Not Unique within the Functional Group',
} as const;

/** A transaction set syntax error code. */
export type SetErrorCode = keyof typeof setErrorCodes;

/** AK901 functional group acknowledgment code (715). */
export type GroupStatus = 'A' | 'E' | 'M' | 'P' | 'R' | 'W' | 'X';

/** AK905-AK909 functional group syntax error codes (716). */
export const groupErrorCodes = {
  '1': 'Functional Group Not Supported',
  '2': 'Functional Group Version Not Supported',
  '3': 'Functional Group Trailer Missing',
  '4': 'Group Control Number in the Functional Group Header and Trailer Do Not Agree',
  '5': 'Number of Included Transaction Sets Does Not Match Actual Count',
  '6': 'Group Control Number Violates Syntax',
  '19': 'Functional Group Control Number not Unique within Interchange',
} as const;

/** A functional group syntax error code. */
export type GroupErrorCode = keyof typeof groupErrorCodes;

/** ISA05/ISA07 interchange id qualifiers (I05). */
export const interchangeIdQualifiers: ReadonlySet<string> = new Set([
  '01', '02', '03', '04', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20',
  '21', '22', '23', '24', '25', '26', '27', '28', '29', '30', '31', '32', '33', '34', '35', '36', '37', '38',
  'AM', 'NR', 'SA', 'SN', 'ZZ',
]);

/** ISA01 authorization information qualifiers (I01). */
export const authorizationQualifiers: ReadonlySet<string> = new Set(['00', '01', '02', '03', '04', '05', '06']);

/** ISA03 security information qualifiers (I03). */
export const securityQualifiers: ReadonlySet<string> = new Set(['00', '01']);

/** Functional identifier code (GS01) expected for each transaction set we know. */
export const functionalIdBySet: Readonly<Record<string, string>> = {
  '850': 'PO',
  '855': 'PR',
  '856': 'SH',
  '810': 'IN',
  '846': 'IB',
  '214': 'QM',
  '997': 'FA',
  '999': 'FA',
};
