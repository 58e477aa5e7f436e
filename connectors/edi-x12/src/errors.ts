/**
 * Errors of the EDI X12 connector. Everything the codec or the mappers reject is an input problem of the partner's
 * data (permanent: retrying the same bytes cannot help); every error carries a stable `TL_EDI_*` code and, where it
 * applies, the segment position and element it is about.
 */
import { InputError, PermanentError, TransientError, type ErrorDetails, classifyError, type ErrorKind } from '@tradelane/core';

/** Where in the input something happened: segment index within its interchange (ISA = 0) and byte offset. */
export interface X12Position {
  /** 0-based segment index within the interchange (the ISA is 0). */
  index: number;
  /** 0-based byte offset of the segment's first byte in the input. */
  offset: number;
}

/** Stable codes of the codec's own errors and issues. */
export const x12ErrorCodes = {
  isaExpected: 'TL_EDI_ISA_EXPECTED',
  isaInvalid: 'TL_EDI_ISA_INVALID',
  segmentTooLong: 'TL_EDI_SEGMENT_TOO_LONG',
  unterminatedSegment: 'TL_EDI_UNTERMINATED_SEGMENT',
  noInterchange: 'TL_EDI_NO_INTERCHANGE',
  unexpectedSegment: 'TL_EDI_UNEXPECTED_SEGMENT',
  setTrailerMissing: 'TL_EDI_SET_TRAILER_MISSING',
  groupTrailerMissing: 'TL_EDI_GROUP_TRAILER_MISSING',
  interchangeTrailerMissing: 'TL_EDI_INTERCHANGE_TRAILER_MISSING',
  separatorInData: 'TL_EDI_SEPARATOR_IN_DATA',
  separatorsInvalid: 'TL_EDI_SEPARATORS_INVALID',
  repetitionUnsupported: 'TL_EDI_REPETITION_UNSUPPORTED',
  isaFieldInvalid: 'TL_EDI_ISA_FIELD_INVALID',
  mapping: 'TL_EDI_MAPPING_FAILED',
} as const;

/** One of the codec's error codes. */
export type X12ErrorCode = (typeof x12ErrorCodes)[keyof typeof x12ErrorCodes];

/** The input cannot be read as X12 at all from this point on (no ISA, unreadable ISA, runaway segment). */
export class X12SyntaxError extends InputError {
  /** Where reading stopped. */
  readonly position: X12Position;
  constructor(code: X12ErrorCode, message: string, position: X12Position, details?: ErrorDetails) {
    super(code, message, { ...details, segmentIndex: position.index, offset: position.offset });
    this.position = position;
  }
}

/** Data cannot be written because a value contains a separator (X12 has no escaping) or an envelope value is bad. */
export class X12WriteError extends InputError {}

/** A transaction set does not carry what its canonical document needs; names segment, position and element. */
export class X12MappingError extends InputError {
  /** Segment id, e.g. `PO1`. */
  readonly segment: string;
  /** Position of the segment, or of the set's header when the segment is missing. */
  readonly position: X12Position | undefined;
  /** Element reference like `PO102`, when one element is at fault. */
  readonly element: string | undefined;
  constructor(message: string, where: { segment: string; position?: X12Position | undefined; element?: string | undefined; setControlNumber?: string | undefined }) {
    super(x12ErrorCodes.mapping, message, {
      segment: where.segment,
      element: where.element,
      segmentIndex: where.position?.index,
      offset: where.position?.offset,
      setControlNumber: where.setControlNumber,
    });
    this.segment = where.segment;
    this.position = where.position;
    this.element = where.element;
  }
}

/** Classifies a failure of this connector: codec and mapping errors are permanent, unknown ones transient. */
export function classifyX12Error(err: unknown): ErrorKind {
  return classifyError(err);
}

/** Stable codes of SFTP channel failures. */
export const sftpErrorCodes = {
  /** Connection refused, reset, host or network unreachable, DNS failure: transient. */
  unreachable: 'TL_SFTP_UNREACHABLE',
  /** Handshake or keepalive timed out: transient. */
  timeout: 'TL_SFTP_TIMEOUT',
  /** The server closed the connection in the middle of an operation: transient. */
  connectionLost: 'TL_SFTP_CONNECTION_LOST',
  /** Username, password or key refused: permanent. */
  authFailed: 'TL_SFTP_AUTH_FAILED',
  /** The server's host key is not one of the pinned fingerprints: permanent. */
  hostKeyMismatch: 'TL_SFTP_HOST_KEY_MISMATCH',
  /** The server refused an operation on a path: permanent. */
  permissionDenied: 'TL_SFTP_PERMISSION_DENIED',
  /** A folder or file does not exist: permanent. */
  notFound: 'TL_SFTP_NOT_FOUND',
  /** Drop without overwrite, and a file of that name is there already: permanent. */
  targetExists: 'TL_SFTP_TARGET_EXISTS',
  /** The private key cannot be read (format, passphrase): permanent. */
  badKey: 'TL_SFTP_BAD_KEY',
  /** Any other failure the server reported (SFTP status FAILURE and unknown ones): transient until the retry limit. */
  failed: 'TL_SFTP_FAILED',
} as const;

/** One of the SFTP error codes. */
export type SftpErrorCode = (typeof sftpErrorCodes)[keyof typeof sftpErrorCodes];

/** Where an SFTP failure happened, for the message and the details. */
export interface SftpFailureContext {
  /** What the channel was doing: `connect`, `list`, `claim`, `read`, `archive`, `upload`, `rename`… */
  operation: string;
  host: string;
  port: number;
  /** Remote path the operation was about. */
  path?: string | undefined;
  /** The fingerprint the server presented, when host key verification failed. */
  presentedFingerprint?: string | undefined;
}

const TRANSIENT_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ENOTFOUND', 'EPIPE']);
/** SFTP status codes (draft-ietf-secsh-filexfer-02): 2 no such file, 3 permission denied, 4 failure. */
const SFTP_NO_SUCH_FILE = 2;
const SFTP_PERMISSION_DENIED = 3;

/** The SFTP status or socket error code carried by an error from ssh2 or ssh2-sftp-client. */
function codeOf(err: unknown): string | number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' || typeof code === 'number' ? code : undefined;
}

/**
 * Turns a failure of ssh2 / ssh2-sftp-client into a classified Tradelane error: connection refused, resets, timeouts
 * and DNS failures are transient; authentication failures, host key mismatches, permission denied and missing paths
 * are permanent; anything else is transient (retried until the limit).
 * @example try { await client.list(dir) } catch (e) { throw sftpFailure(e, { operation: 'list', host, port, path: dir }) }
 */
export function sftpFailure(err: unknown, where: SftpFailureContext): TransientError | PermanentError {
  if (err instanceof TransientError || err instanceof PermanentError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const code = codeOf(err);
  const level = (err as { level?: unknown } | null)?.level;
  const at = `${where.host}:${where.port}`;
  const path = where.path ? ` ${where.path}` : '';
  const details: ErrorDetails = { operation: where.operation, host: where.host, port: where.port, ...(where.path ? { path: where.path } : {}), cause: raw };
  if (where.presentedFingerprint !== undefined || /host denied|verification failed/i.test(raw)) {
    return new PermanentError(
      sftpErrorCodes.hostKeyMismatch,
      `SFTP server ${at} presented host key ${where.presentedFingerprint ?? '(unknown)'}, which is not one of the pinned fingerprints`,
      { ...details, presentedFingerprint: where.presentedFingerprint },
      { cause: err },
    );
  }
  if (/all configured authentication methods failed|authentication failed|permission denied \(publickey|ERR_BAD_AUTH/i.test(raw) || code === 'ERR_BAD_AUTH' || level === 'client-authentication') {
    return new PermanentError(sftpErrorCodes.authFailed, `SFTP server ${at} refused the credentials: ${raw}`, details, { cause: err });
  }
  if (/cannot parse privatekey|encrypted private (open)?ssh key detected|bad passphrase|no passphrase/i.test(raw)) {
    return new PermanentError(sftpErrorCodes.badKey, `the private key for SFTP server ${at} cannot be used: ${raw}`, details, { cause: err });
  }
  if (typeof code === 'string' && TRANSIENT_SOCKET_CODES.has(code)) {
    return new TransientError(sftpErrorCodes.unreachable, `SFTP server ${at} is unreachable (${code}) during ${where.operation}${path}`, { details: { ...details, socketCode: code }, cause: err });
  }
  if (/timed out|timeout/i.test(raw) || level === 'client-timeout') {
    return new TransientError(sftpErrorCodes.timeout, `SFTP server ${at} timed out during ${where.operation}${path}: ${raw}`, { details, cause: err });
  }
  if (code === SFTP_PERMISSION_DENIED || code === 'EACCES' || code === 'EPERM' || /permission denied/i.test(raw)) {
    return new PermanentError(sftpErrorCodes.permissionDenied, `SFTP server ${at} denied ${where.operation}${path}: ${raw}`, details, { cause: err });
  }
  if (code === SFTP_NO_SUCH_FILE || code === 'ENOENT' || /no such file/i.test(raw)) {
    return new PermanentError(sftpErrorCodes.notFound, `SFTP ${where.operation}${path} on ${at}: no such file or folder`, details, { cause: err });
  }
  if (/unexpected (end|close)|connection lost|no response from server|not connected|ERR_NOT_CONNECTED/i.test(raw) || code === 'ERR_NOT_CONNECTED') {
    return new TransientError(sftpErrorCodes.connectionLost, `SFTP connection to ${at} was lost during ${where.operation}${path}: ${raw}`, { details, cause: err });
  }
  return new TransientError(sftpErrorCodes.failed, `SFTP ${where.operation}${path} on ${at} failed: ${raw}`, { details: { ...details, sftpCode: code }, cause: err });
}

/** True when an error from ssh2 / ssh2-sftp-client says the path does not exist (SFTP status 2). */
export function isSftpNoSuchFile(err: unknown): boolean {
  const code = codeOf(err);
  const raw = err instanceof Error ? err.message : String(err);
  return code === SFTP_NO_SUCH_FILE || code === 'ENOENT' || /no such file/i.test(raw);
}
