// What other modules use from the verification module.
export { issueAttestation, type IssueAttestationInput, type IssuedAttestation } from './issue-attestation';
export { revokeAttestation } from './revoke-attestation';
export { findAttestation, findAttestationByCode, listDossierAttestations, type Attestation } from './find-attestation';
export { attestationStatus, type AttestationStatus } from './attestation-status';
export { formatCode, normalizeCode, verifyUrl } from './code';
