"""The review workflow (DESIGN.md, Part 2): panels, independent reviews, consolidation,
decisions with conditions and validity, amendments and what comes due."""
