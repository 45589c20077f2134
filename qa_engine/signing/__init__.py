"""Signing and verifying: Ed25519 keys, eddsa-jcs-2022 Data Integrity proofs, W3C
Verifiable Credentials 2.0 (decision credentials, evaluation receipts) and Bitstring
Status Lists. An adapter: it knows the formats, not the store or the interfaces."""
