"""fastscratch.data: reading datasets, the masking rule and the document generator."""

from __future__ import annotations

import ast
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fastscratch import data
from fastscratch.data import DatasetError

REPO = Path(__file__).resolve().parents[1]
SPAN_COLUMNS = {
    "name": "Name", "credit_card": "Credit Card", "email": "Email", "url": "URL",
    "phone": "Phone", "address": "Address", "company": "Company", "ssn": "SSN",
}
KEPT_COLUMNS = ("Name", "Address", "Company")


@pytest.fixture(scope="module")
def big() -> pd.DataFrame:
    """Enough rows for rates and template coverage (under a second to make)."""
    return data.synthesize(5000, 2024, include_template=True)


@pytest.fixture(scope="module")
def big_profile(big) -> data.DatasetProfile:
    return data.profile(big)


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return data.synthesize(60, 7)


def present(value) -> bool:
    return isinstance(value, str) and value != ""


# ============================================================================ reading

@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_round_trip_each_format(tmp_path, small, suffix):
    path = data.write_dataset(small, tmp_path / f"train{suffix}")
    frame = data.read_dataset(path)
    assert list(frame.columns) == list(small.columns)
    assert frame["Masked_Text"].tolist() == small["Masked_Text"].tolist()  # newlines, mojibake kept
    assert frame["Binary_Label"].dtype == np.int64
    assert frame["Binary_Label"].tolist() == small["Binary_Label"].tolist()
    texts, labels = data.read_texts_labels(path)
    assert texts == small["Masked_Text"].tolist()
    assert labels.dtype == np.int64 and labels.shape == (len(small),)


def test_xlsx_sheet_by_name_and_index(tmp_path, small):
    path = tmp_path / "book.xlsx"
    other = pd.DataFrame({"Masked_Text": ["not this one"], "Binary_Label": [1]})
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        other.to_excel(writer, sheet_name="Notes", index=False)
        small.to_excel(writer, sheet_name=data.TRAINING_SHEET, index=False)
    assert data.read_dataset(path, sheet="Training_Set")["Masked_Text"].tolist() == \
        small["Masked_Text"].tolist()
    assert data.read_dataset(path, sheet=1)["Masked_Text"].tolist() == small["Masked_Text"].tolist()
    assert data.read_dataset(path)["Masked_Text"].tolist() == ["not this one"]  # first sheet
    with pytest.raises(DatasetError, match=r"book\.xlsx.*no sheet named 'Test'.*'Notes', 'Training_Set'"):
        data.read_dataset(path, sheet="Test")


def test_custom_column_names(tmp_path):
    frame = pd.DataFrame({"doc": ["hello there", "jane@example.org"], "y": [0, 1]})
    path = data.write_dataset(frame, tmp_path / "custom.csv")
    texts, labels = data.read_texts_labels(path, text_column="doc", label_column="y")
    assert texts == ["hello there", "jane@example.org"] and labels.tolist() == [0, 1]


def test_raw_rows_without_labels_then_mask(tmp_path):
    raw = data.synthesize(40, 8)[[*data.PII_COLUMNS, "Text", "True Predictions"]]
    path = data.write_dataset(raw, tmp_path / "raw.xlsx")
    frame = data.read_dataset(path, text_column="Text", label_column=None)
    assert frame["Text"].tolist() == raw["Text"].tolist()
    masked = data.mask(frame, 1)
    for _, row in masked[masked["Binary_Label"] == 0].iterrows():
        assert row["Masked_Text"] == data.mask_text(row["Text"], row)
    with pytest.raises(DatasetError, match="missing column 'Masked_Text'"):
        data.read_dataset(path, label_column=None)


def test_csv_text_that_looks_missing_stays_text(tmp_path):
    path = tmp_path / "na.csv"
    path.write_text('Masked_Text,Binary_Label\nNA,0\nnull,1\n"two\nlines",1.0\n', encoding="utf-8")
    frame = data.read_dataset(path)
    assert frame["Masked_Text"].tolist() == ["NA", "null", "two\nlines"]
    assert frame["Binary_Label"].tolist() == [0, 1, 1]


def good_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "Masked_Text": ["first document", "second [EMAIL] document", "third one", "fourth"],
        "Binary_Label": [1, 0, 0, 1],
        "Name": ["Ann Lee", "Bo Diaz", "Cy Tran", "Di Roy"],
    })


def write_raw(frame: pd.DataFrame, path: Path) -> Path:
    """Write without going through write_dataset's (valid) path."""
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix == ".xlsx":
        frame.to_excel(path, index=False, sheet_name="Training_Set")
    else:
        frame.to_parquet(path, index=False)
    return path


def row_pattern(row: int, suffix: str) -> str:
    sheet = rf" \(sheet row {row + 1}\)" if suffix == ".xlsx" else ""
    return rf"data row {row}{sheet}"


FORMATS = [".csv", ".xlsx", ".parquet"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_missing_column_lists_present_columns(tmp_path, suffix):
    path = write_raw(good_frame().drop(columns="Binary_Label"), tmp_path / f"nolabel{suffix}")
    with pytest.raises(DatasetError) as info:
        data.read_dataset(path)
    message = str(info.value)
    assert str(path) in message and "'Binary_Label'" in message
    assert "columns present: 'Masked_Text', 'Name'" in message
    assert info.value.column == "Binary_Label" and info.value.path == str(path)


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("bad, shown", [(2, "2"), (-1, "-1"), (0.5, "0.5"), (None, "nothing")])
def test_label_not_binary(tmp_path, suffix, bad, shown):
    frame = good_frame().astype({"Binary_Label": object})
    frame.loc[2, "Binary_Label"] = bad
    if bad is not None:
        frame["Binary_Label"] = frame["Binary_Label"].astype(float if bad == 0.5 else int)
    path = write_raw(frame, tmp_path / f"label{suffix}")
    with pytest.raises(DatasetError) as info:
        data.read_dataset(path)
    message = str(info.value)
    assert re.search(re.escape(str(path)) + ": " + row_pattern(3, suffix) + r", column 'Binary_Label'", message)
    assert f"got {shown}" in message
    assert info.value.row == 3 and info.value.column == "Binary_Label"


def test_label_text_value_in_csv(tmp_path):
    path = tmp_path / "yes.csv"
    path.write_text("Masked_Text,Binary_Label\na,1\nb,yes\nc,maybe\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"data row 2, column 'Binary_Label': label must be 0 or 1, "
                                           r"got 'yes' \(1 more row with problems"):
        data.read_dataset(path)


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("bad, problem", [
    ("", "text is (empty|missing)"),  # CSV and Excel cannot tell an empty string from a blank cell
    ("   \n ", "text is only whitespace"),
    (None, "text is missing"),
])
def test_text_empty_or_missing(tmp_path, suffix, bad, problem):
    frame = good_frame()
    frame.loc[1, "Masked_Text"] = bad
    path = write_raw(frame, tmp_path / f"text{suffix}")
    with pytest.raises(DatasetError) as info:
        data.read_dataset(path)
    message = str(info.value)
    assert re.search(row_pattern(2, suffix) + r", column 'Masked_Text': " + problem, message), message
    assert str(path) in message and info.value.row == 2


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_text_not_a_string(tmp_path, suffix):
    frame = good_frame().astype({"Masked_Text": object})
    if suffix == ".parquet":  # an Arrow column has one type: make it all numbers
        frame["Masked_Text"] = [12345, 2, 3, 4]
    else:
        frame.loc[0, "Masked_Text"] = 12345
    path = write_raw(frame, tmp_path / f"number{suffix}")
    with pytest.raises(DatasetError, match=row_pattern(1, suffix) +
                       r", column 'Masked_Text': text must be a string, got int 12345"):
        data.read_dataset(path)


def test_csv_blank_line_is_reported_not_dropped(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("Masked_Text,Binary_Label\na,1\n\nb,0\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"blank\.csv: data row 2, column 'Binary_Label'"):
        data.read_dataset(path)


def test_unknown_extension_and_missing_file(tmp_path):
    with pytest.raises(DatasetError, match=r"train\.json: unknown dataset extension '\.json'"):
        data.read_dataset(tmp_path / "train.json")
    with pytest.raises(DatasetError, match=r"absent\.csv: no such file"):
        data.read_dataset(tmp_path / "absent.csv")
    with pytest.raises(DatasetError, match="Excel files only"):
        data.read_dataset(tmp_path / "absent.csv", sheet="Training_Set")


@pytest.mark.parametrize("suffix", FORMATS)
def test_corrupt_file(tmp_path, suffix):
    path = tmp_path / f"corrupt{suffix}"
    path.write_bytes(b"\xff\xfe\x00garbage\x00" * 10)
    with pytest.raises(DatasetError, match=re.escape(str(path))):
        data.read_dataset(path)


def test_write_dataset_is_atomic_on_failure(tmp_path):
    import pyarrow as pa

    target = tmp_path / "out.parquet"
    bad = pd.DataFrame({"x": [object()]})  # pyarrow cannot store a bare object
    with pytest.raises(pa.ArrowInvalid, match="Conversion failed for column x with type object"):
        data.write_dataset(bad, target)
    assert list(tmp_path.iterdir()) == []


# ============================================================================ masking

def raw_rows() -> pd.DataFrame:
    return pd.DataFrame({
        "Name": ["Ann Lee", "Bo Diaz", None],
        "Credit Card": ["VISA 16 digit\nAnn Lee\n4730099819249559 12/25\nCVC: 351\n", None, None],
        "Email": ["ann@smith.com", "bo@example.org", None],
        "URL": ["smith.com", None, float("nan")],
        "Phone": ["4730099819", "+1 5551234567", None],
        "Address": ["1 Main St\nTown, CA 90210", None, None],
        "Company": ["Smith-Jones", None, "Acme Inc"],
        "SSN": ["123-45-6789", None, None],
        "Text": [
            "Ann Lee (ann@smith.com, smith.com, 4730099819) card:\n"
            "VISA 16 digit\nAnn Lee\n4730099819249559 12/25\nCVC: 351\n"
            "SSN 123-45-6789, again 123-45-6789. 1 Main St\nTown, CA 90210 / Smith-Jones",
            "Bo Diaz: bo@example.org, +1 5551234567",
            "Nothing to mask at Acme Inc.",
        ],
    })


def test_mask_text_replaces_containing_values_first():
    row = raw_rows().iloc[0]
    masked = data.mask_text(row["Text"], row)
    assert masked == (
        "Ann Lee ([EMAIL], [URL], [PHONE]) card:\n[CREDIT_CARD]"
        "SSN [SSN], again [SSN]. 1 Main St\nTown, CA 90210 / Smith-Jones"
    )


def test_mask_text_url_containing_email_and_missing_values():
    values = {"URL": "https://x.org/?to=a@b.org", "Email": "a@b.org", "Phone": float("nan"), "SSN": ""}
    assert data.mask_text("see https://x.org/?to=a@b.org or a@b.org", values) == "see [URL] or [EMAIL]"
    assert data.mask_text("plain", {}) == "plain"


def test_mask_text_numeric_cell_from_excel():
    assert data.mask_text("call 5551234567 now", {"Phone": 5551234567.0}) == "call [PHONE] now"


_small_text = st.text(alphabet="ab c@.-\n", max_size=40)
_value = st.text(alphabet="ab c@.-", min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(text=_small_text, values=st.dictionaries(st.sampled_from(list(data.MASK_TOKENS)), _value))
def test_mask_text_leaves_no_value_behind(text, values):
    masked = data.mask_text(text, values)
    for value in values.values():
        assert value not in masked  # tokens share no character with the values here
    assert data.mask_text(masked, values) == masked
    if not any(value in text for value in values.values()):
        assert masked == text


def test_mask_rule_and_no_mutation():
    raw = raw_rows()
    before = raw.copy(deep=True)
    out = data.mask(raw, seed=3)
    pd.testing.assert_frame_equal(raw, before)
    assert list(out.columns) == [*raw.columns, "Rand", "Rand_Print", "Masked_Text", "Binary_Label"]
    assert out["Binary_Label"].dtype == np.int64
    assert set(out["Rand"]) <= {1, 2, 3, 4} and set(out["Rand_Print"]) <= {1, 2, 3, 4}
    for _, row in out.iterrows():
        if row["Rand_Print"] == 1:
            assert row["Binary_Label"] == 1 and row["Masked_Text"] == row["Text"]
        else:
            assert row["Binary_Label"] == 0
            assert row["Masked_Text"] == data.mask_text(row["Text"], row)


def test_mask_is_seeded():
    raw = pd.concat([raw_rows()] * 100, ignore_index=True)
    a, b = data.mask(raw, 5), data.mask(raw, np.random.default_rng(5))
    pd.testing.assert_frame_equal(a, b)
    assert not data.mask(raw, 6)["Rand_Print"].equals(a["Rand_Print"])
    # every row is masked when Rand_Print != 1, whatever it contains
    assert (a["Binary_Label"] == (a["Rand_Print"] == 1)).all()
    assert 0 < a["Binary_Label"].mean() < 0.5


def test_mask_missing_columns():
    with pytest.raises(DatasetError, match=r"missing column\(s\) 'Credit Card'.*columns present"):
        data.mask(raw_rows().drop(columns="Credit Card"), 0)


# ============================================================================ generator

def spans_of(row) -> list[tuple[int, int, str]]:
    return ast.literal_eval(row["True Predictions"])


def test_schema(big):
    assert list(big.columns) == [*data.SCHEMA, "Template"]
    assert list(data.synthesize(5, 1).columns) == list(data.SCHEMA)
    for column in ("Rand", "Rand_Print", "Binary_Label"):
        assert big[column].dtype == np.int64
    assert big["Text"].map(type).eq(str).all() and big["Masked_Text"].map(type).eq(str).all()
    assert len(data.synthesize(0, 1)) == 0


def test_spans_are_exact_on_every_row(big):
    for _, row in big.iterrows():
        spans = spans_of(row)
        kinds = {kind for _, _, kind in spans}
        previous_end = 0
        for start, end, kind in sorted(spans):
            assert kind in SPAN_COLUMNS
            assert row["Text"][start:end] == row[SPAN_COLUMNS[kind]]
            assert start >= previous_end  # no overlapping spans
            previous_end = end
        for kind, column in SPAN_COLUMNS.items():  # a value in a column iff it is planted
            assert present(row[column]) == (kind in kinds)


def test_label_rate_and_rule(big):
    n = len(big)
    rate = big["Binary_Label"].mean()
    assert abs(rate - 0.25) < 4.5 * math.sqrt(0.25 * 0.75 / n)
    assert (big["Binary_Label"] == (big["Rand_Print"] == 1)).all()
    assert big["Rand"].between(1, 4).all() and big["Rand_Print"].between(1, 4).all()


def test_deterministic_for_a_seed():
    a = data.synthesize(300, 99, include_template=True)
    pd.testing.assert_frame_equal(a, data.synthesize(300, 99, include_template=True))
    other = data.synthesize(300, 100, include_template=True)
    assert (a["Text"] != other["Text"]).mean() > 0.9
    assert not a["Rand_Print"].equals(other["Rand_Print"])


def test_deterministic_across_processes():
    """This process and a fresh one with another string-hash seed generate the same rows."""
    import hashlib

    code = ("import hashlib; from fastscratch import data; "
            "print(hashlib.sha256(data.synthesize(200, 9).to_csv().encode()).hexdigest())")
    other_seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": other_seed}).stdout.strip()
    assert other == hashlib.sha256(data.synthesize(200, 9).to_csv().encode()).hexdigest()


#: Per kind, templates for each document category of the Mendeley set.
CATEGORY_TEMPLATES = {
    "notice": {"transaction_confirmation", "account_created", "ssn_verification",
               "subscription_confirmed", "login_alert", "breach_notice", "payment_receipt"},
    "letter": {"welcome_letter", "claim_acknowledgment", "service_contract_letter",
               "incident_letter", "feedback_reply", "loan_decision_letter"},
    "form": {"invoice", "loan_application", "insurance_claim_form", "onboarding_record",
             "service_contract_summary", "feedback_form", "subscription_order"},
    "report": {"annual_audit", "internal_audit", "tax_compliance_review", "financial_review",
               "annual_financial_review"},
}


def test_enough_templates_of_every_kind_and_category(big):
    names = data.template_names()
    assert len(names) >= 35 and len(set(names)) == len(names)
    assert big["Template"].nunique() >= 35
    for kind, required in CATEGORY_TEMPLATES.items():
        of_kind = data.template_names([kind])
        assert len(of_kind) >= 5, kind
        assert required <= set(of_kind), required - set(of_kind)
    reports = big["Template"].isin(data.template_names(["report"])).mean()
    assert 0.18 <= reports <= 0.32  # about one document in four is a multi-paragraph report
    report_lengths = big.loc[big["Template"].isin(data.template_names(["report"])), "Text"].str.len()
    assert report_lengths.median() > 1500 and report_lengths.max() > 4000


def test_profile_of_generated_rows(big_profile):
    length = big_profile.length
    assert length["min"] >= 100 and length["max"] <= 6000
    assert 450 <= length["median"] <= 700
    assert 850 <= length["mean"] <= 1250
    assert length["min"] <= length["p5"] <= length["p25"] <= length["median"] <= length["p75"] \
        <= length["p95"] <= length["max"]
    assert big_profile.six_or_more >= 0.8
    assert big_profile.types_mean >= 6
    assert abs(sum(big_profile.types_per_document.values()) - 1) < 1e-9
    assert 0.40 <= big_profile.card_block_rate <= 0.60
    assert 0.20 <= big_profile.label_rate <= 0.30
    assert big_profile.repeated > 0.4
    assert 0.005 < big_profile.mojibake < 0.2
    assert big_profile.present == big_profile.in_text  # a value is in its column only if planted
    for column in ("Name", "Email", "URL", "Phone", "Address", "Company"):
        assert big_profile.in_text[column] > 0.9, column


def test_kinds_select_templates():
    notices = data.synthesize(400, 3, kinds=["notice"], include_template=True)
    assert set(notices["Template"]) <= set(data.template_names(["notice"]))
    assert notices["Text"].str.len().max() < 700
    assert sorted(sum((data.template_names([k]) for k in data.TEMPLATE_KINDS), [])) == \
        sorted(data.template_names())
    with pytest.raises(ValueError, match="unknown template kinds"):
        data.synthesize(3, 1, kinds=["poem"])


def test_templates_filter_for_held_out_evaluation():
    chosen = ["invoice", "annual_audit", "ssn_verification"]
    frame = data.synthesize(300, 3, templates=chosen, include_template=True)
    assert set(frame["Template"]) == set(chosen)
    assert set(data.synthesize(50, 3, templates=iter(chosen), include_template=True)["Template"]) <= set(chosen)
    both = data.synthesize(100, 3, kinds=["form", "report"], templates=chosen, include_template=True)
    assert set(both["Template"]) == {"invoice", "annual_audit"}
    held_out = set(data.template_names()) - set(chosen)
    rest = data.synthesize(300, 3, templates=held_out, include_template=True)
    assert not set(rest["Template"]) & set(chosen)
    with pytest.raises(ValueError, match=r"unknown templates \['poem', 'sonnet'\]"):
        data.synthesize(3, 1, templates=["invoice", "sonnet", "poem"])
    with pytest.raises(ValueError, match="select no template"):
        data.synthesize(3, 1, kinds=["notice"], templates=["annual_audit"])
    with pytest.raises(ValueError, match="select no template"):
        data.synthesize(3, 1, templates=[])
    with pytest.raises(ValueError, match="not the single string 'invoice'"):
        data.synthesize(3, 1, templates="invoice")


def test_realistic_texture(big):
    maskable = list(data.MASK_TOKENS)
    assert big[maskable].isna().all(axis=1).any()  # a few rows with nothing to mask
    assert big["Text"].str.contains("â€").mean() > 0.005  # mojibake
    assert big["Text"].str.contains("’").any()
    assert big["Text"].str.contains("\n").mean() > 0.9


def test_card_block_sometimes_inline_in_a_sentence(big):
    with_card = big[big["Credit Card"].map(present)]
    after = [row["Text"][row["Text"].index(row["Credit Card"]) + len(row["Credit Card"]):]
             for _, row in with_card.iterrows()]
    inline = [bool(re.match(r" [a-z]", rest)) for rest in after]  # "... CVC: 351\n was successful"
    assert 0.05 < np.mean(inline) < 0.7
    assert any(re.search(r"using credit card .+\n was successful", text, re.S) for text in big["Text"])


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


CARD_LABELS = ("VISA 16 digit", "VISA 13 digit", "VISA 19 digit", "Mastercard", "Maestro",
               "American Express", "Discover", "Diners Club / Carte Blanche", "JCB 15 digit",
               "JCB 16 digit")


def values_of(frame: pd.DataFrame, column: str) -> list[str]:
    return [v for v in frame[column] if present(v)]


def share(pattern: str, values: list[str]) -> float:
    return sum(bool(re.fullmatch(pattern, v)) for v in values) / len(values)


def test_card_blocks_are_faker_credit_card_full(big):
    cards = values_of(big, "Credit Card")
    for card in cards:
        match = re.fullmatch(r"([^\n]+)\n[A-Za-z'\- ]+\n(\d{12,19}) (0[1-9]|1[0-2])/\d\d\n(CVC|CVV|CID): (\d{3,4})\n",
                             card)
        assert match, card
        label, number, _, code_name, code = match.groups()
        assert label in CARD_LABELS and luhn_ok(number), card
        assert (code_name == "CID") == (label == "American Express") == (len(code) == 4), card
    labels = {card.split("\n", 1)[0] for card in cards}
    assert len(labels) >= 8 and "VISA 16 digit" in labels


def test_values_have_faker_default_shapes(big):
    assert share(r"\d{3}-\d{2}-\d{4}", values_of(big, "SSN")) == 1
    assert share(r"[a-z0-9]+@example\.(org|net|com)", values_of(big, "Email")) == 1
    emails = values_of(big, "Email")
    for domain in ("org", "net", "com"):
        assert share(rf".+@example\.{domain}", emails) > 0.2
    urls = values_of(big, "URL")
    assert share(r"https?://(www\.)?[a-z0-9]+(-[a-z0-9]+)?\.(com|net|org|biz|info)/", urls) == 1
    assert 0.3 < share(r"https?://www\..+", urls) < 0.7
    assert share(r"https?://(www\.)?[a-z0-9]+-[a-z0-9]+\..+", urls) > 0.2
    phones = values_of(big, "Phone")
    assert share(r"\+\d{1,3}( \d{10}|-\d{3}-\d{3}-\d{4}| \(\d{3}\) \d{3}-\d{4})", phones) == 1
    assert share(r"\+\d{1,3} \d{10}", phones) > 0.8
    assert any(v.startswith("+91 ") for v in phones)
    assert share(r"\d{3,5} [^\n]+\n[^\n]+, [A-Z]{2} \d{5}", values_of(big, "Address")) == 1
    assert share(r"[A-Za-z'\-]+ [A-Za-z'\-]+", values_of(big, "Name")) > 0.9
    companies = values_of(big, "Company")
    shapes = (r"[A-Za-z']+ (Inc|Ltd|PLC|LLC)", r"[A-Za-z']+-[A-Za-z']+", r"[A-Za-z']+, [A-Za-z']+ and [A-Za-z']+")
    assert sum(share(shape, companies) for shape in shapes) == pytest.approx(1)
    assert all(share(shape, companies) > 0.2 for shape in shapes)


def test_masking_of_generated_rows(big):
    masked = big[big["Binary_Label"] == 0]
    kept = big[big["Binary_Label"] == 1]
    assert (kept["Masked_Text"] == kept["Text"]).all()
    for _, row in masked.iterrows():
        for column, token in data.MASK_TOKENS.items():
            if present(row[column]):
                assert row[column] not in row["Masked_Text"]
                assert token in row["Masked_Text"]
        for column in KEPT_COLUMNS:
            if present(row[column]):
                assert row[column] in row["Masked_Text"]
    assert (masked["Masked_Text"] != masked["Text"]).mean() > 0.9


def test_shipped_samples():
    for name, rows in (("sample_train.csv", (300, 500)), ("sample_test.csv", (30, 30))):
        path = REPO / "data" / name
        assert path.stat().st_size < 1_000_000
        frame = data.read_dataset(path)
        assert rows[0] <= len(frame) <= rows[1]
        assert list(frame.columns) == list(data.SCHEMA)
        assert set(frame["Binary_Label"]) == {0, 1}


# ============================================================================ profile

def hand_made() -> pd.DataFrame:
    """Three rows whose profile is known (no True Predictions column, NaN PII)."""
    card = "VISA 16 digit\nAnn Lee\n4730099819249559 12/25\nCVC: 351\n"
    return pd.DataFrame({
        "Name": ["Ann Lee", np.nan, "Cy Tran"],
        "Credit Card": [card, np.nan, "VISA 13 digit\nCy Tran\n4111111111111 01/30\nCVC: 123\n"],
        "Email": ["ann@example.org", "", np.nan],
        "URL": [np.nan, np.nan, np.nan],
        "Phone": [np.nan, "+1 5551234567", 5551234567.0],
        "Address": [np.nan, np.nan, np.nan],
        "Company": ["Lee LLC", np.nan, "Tran-Roy"],
        "SSN": ["123-45-6789", np.nan, np.nan],
        "Text": [
            f"Ann Lee paid with {card} was successful. Ann Lee, Lee LLC, 123-45-6789, ann@example.org",
            "Call +1 5551234567 now",
            "Cy Tranâ€™s phone 5551234567; nothing else here at all",
        ],
        "Binary_Label": [1, 0, 0],
    })


def test_profile_of_a_hand_made_frame():
    frame = hand_made()
    texts = frame["Text"].tolist()
    result = data.profile(frame)
    assert result.rows == 3 and result.text_column == "Text"
    lengths = sorted(len(t) for t in texts)
    assert result.length["min"] == lengths[0] and result.length["max"] == lengths[2]
    assert result.length["median"] == lengths[1]
    assert result.length["mean"] == pytest.approx(sum(lengths) / 3)
    # non-empty PII columns per row: 5, 1, 4
    assert result.types_per_document == {0: 0.0, 1: 1 / 3, 2: 0.0, 3: 0.0, 4: 1 / 3, 5: 1 / 3,
                                         6: 0.0, 7: 0.0, 8: 0.0}
    assert result.types_mean == pytest.approx(10 / 3) and result.six_or_more == 0.0
    assert result.present["Name"] == result.in_text["Name"] == pytest.approx(2 / 3)
    assert result.present["URL"] == result.in_text["URL"] == 0.0
    assert result.present["Email"] == pytest.approx(1 / 3)  # "" is no value
    assert result.present["Credit Card"] == pytest.approx(2 / 3)
    assert result.in_text["Credit Card"] == pytest.approx(1 / 3) == result.card_block_rate
    assert result.in_text["Phone"] == pytest.approx(2 / 3)  # the Excel number 5551234567.0 too
    assert result.in_text["Company"] == pytest.approx(1 / 3)
    assert result.repeated == pytest.approx(1 / 3)  # "Ann Lee" twice in row 1
    assert result.label_rate == pytest.approx(1 / 3)
    assert result.mojibake == pytest.approx(1 / 3)


def test_profile_falls_back_to_masked_text_and_handles_empty_frames():
    frame = hand_made().rename(columns={"Text": "Masked_Text"}).drop(columns=["Binary_Label", "URL"])
    result = data.profile(frame)
    assert result.text_column == "Masked_Text" and result.label_rate is None
    assert result.present["URL"] == 0.0 and result.rows == 3
    empty = data.profile(frame.iloc[:0])
    assert empty.rows == 0 and empty.length["median"] is None and empty.card_block_rate is None
    json.dumps(empty.as_dict(), allow_nan=False)
    assert "n/a" in str(empty)
    with pytest.raises(DatasetError, match="'Text' or 'Masked_Text'"):
        data.profile(pd.DataFrame({"Name": ["x"]}))


def test_profile_as_dict_and_table(big_profile):
    as_dict = json.loads(json.dumps(big_profile.as_dict(), allow_nan=False))
    assert as_dict["rows"] == big_profile.rows
    assert as_dict["types_per_document"]["7"] == big_profile.types_per_document[7]
    assert as_dict["card_block_rate"] == big_profile.card_block_rate
    assert set(as_dict["in_text"]) == set(data.PII_COLUMNS)
    table = str(big_profile)
    assert f"{big_profile.rows:,} rows" in table
    for column in data.PII_COLUMNS:
        assert re.search(rf"^  {re.escape(column)} +\d+\.\d% +\d+\.\d%$", table, re.M), column
    assert f"{big_profile.label_rate:.1%}" in table


def test_cli_data_profile(tmp_path, capsys):
    from fastscratch.app import cli

    frame = data.synthesize(40, 3)
    path = data.write_dataset(frame, tmp_path / "rows.csv")
    expected = data.profile(data.read_dataset(path, text_column="Text", label_column=None))
    assert cli.main(["data", "profile", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.strip() == str(expected)
    assert cli.main(["data", "profile", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == expected.as_dict()

    masked_only = data.write_dataset(frame[["Masked_Text", "Binary_Label"]], tmp_path / "masked.parquet")
    assert cli.main(["data", "profile", str(masked_only), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["text_column"] == "Masked_Text"

    assert cli.main(["data", "profile", str(tmp_path / "absent.csv")]) == 2
    err = capsys.readouterr().err
    assert "absent.csv: no such file" in err and len(err.strip().splitlines()) == 1
    (tmp_path / "nothing.csv").write_text("Name,Phone\nAnn,1\n", encoding="utf-8")
    assert cli.main(["data", "profile", str(tmp_path / "nothing.csv")]) == 2
    assert "missing column 'Masked_Text'" in capsys.readouterr().err


# ============================================================================ optional dependencies

def test_core_import_does_not_load_optional_packages():
    code = ("import sys, fastscratch.data; "
            "print(sorted(m for m in ('faker', 'openpyxl') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_missing_faker_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "faker", None)  # makes `import faker` fail
    with pytest.raises(ImportError, match=r"pip install 'fastscratch\[data\]'"):
        data.synthesize(3, 1)
