/** Test fixtures for other packages' suites: a real OpenSSH sshd on loopback serving SFTP. */
export { DEFAULT_SSHD, lookupSshd, startSshd, type TestSshd } from './transport/sshd.fixture.js';
