"""The mixes ``synthesize(mix=...)`` draws: their names and what each holds (free of pandas, for
the command line)."""

from __future__ import annotations

__all__ = ["MIXES"]

MIXES: dict[str, str] = {
    "published": "the published data set's: every document holds six to eight PII types; a quarter are "
                 "left as they are (label 1), the rest have all five masked types masked (label 0)",
    "detector": "the detector's training mix: the published templates with every type kept, masked or "
                "written another way (partial masking, a single value, cleaned documents with and "
                "without mask tokens), short prose with one value or none, and hard negatives and near "
                "misses in any of them",
    "partial": "test set: partially masked documents, each with a value left in (all label 1)",
    "clean": "test set: documents with no PII, written another way or masked, each with hard negatives "
             "(all label 0)",
    "near_miss": "test set: documents with no PII, each with near misses: card-length numbers failing "
                 "Luhn, unissued SSNs, handles and file names with @ or dots, hosts without a TLD "
                 "(all label 0)",
    "other_family": "test set: a family of short documents (clinic and HR scheduling) that no training "
                    "mix writes, with one value or none",
}
"""What ``synthesize(mix=...)`` draws. The labels follow the published rule: 1 when a value of the
five masked types is left unmasked."""
