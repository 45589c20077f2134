"""Exports of a decision to the receivers' formats (DEQAR, ELM, CTDL), each validated
locally against what the receiver requires before anything is written."""
