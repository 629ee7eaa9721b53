"""The checklist page: a section navigator, the items of the current section (built per section
only, so a 1,000-item assessment opens fast), answer controls per item type, evidence, findings,
the live score and its breakdown, signing and completing."""
