"""Registration and refusal files written in FDA's published layouts, for tests.

No copy of FDA's registration file (drls_reg.zip) or Import Refusal download
could be obtained here, so these builders write files with FDA's column
names, order, delimiters, date formats and encoding quirks (see
docs/registry.md). Every firm is fictitious ("EXAMPLE ..."); FEIs and DUNS
are made up; charge statements are paraphrased.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

DECRS_HEADER = (
    " FEI_NUMBER\tDUNS_NUMBER\tFIRM_NAME\tADDRESS\tEXPIRATION_DATE\tOPERATIONS\t"
    "ESTABLISHMENT_CONTACT_NAME\tESTABLISHMENT_CONTACT_EMAIL\tAGENT_DETAILS\tREGISTRANT_NAME\t"
    "REGISTRANT_DUNS\tREGISTRANT_CONTACT_NAME\tREGISTRANT_CONTACT_EMAIL\tEXCLUSION_FLAG"
)

REMEDIES_FEI, REMEDIES_DUNS = "3001234567", "123456789"
ANALYTICAL_FEI, ANALYTICAL_DUNS = "3007654321", "987654321"
LAPSED_FEI, LAPSED_DUNS = "3009999999", "555555555"
EXCLUDED_FEI = "3002223334"
EXEMPLO_FEI = "3001112223"


def decrs_row(
    fei: str,
    duns: str,
    name: str,
    address: str,
    expires: str = "12/31/2027",
    operations: str = "MANUFACTURE",
    excluded: str = "N",
) -> str:
    """One data row as FDA writes it, trailing tab included."""
    return "\t".join(
        [fei, duns, name, address, expires, operations, "Example Contact", "qa@example.invalid",
         "Example US Agent LLC", name, duns, "Example Registrant", "ra@example.invalid", excluded]
    ) + "\t"  # fmt: skip


GOOD_DECRS_ROWS = (
    decrs_row(
        REMEDIES_FEI,
        REMEDIES_DUNS,
        "EXAMPLE Remedies Private Limited",
        "Plot 1, Example Industrial Area, Hyderabad, Telangana (TG) 500001, India (IND)",
        operations="MANUFACTURE; ANALYSIS; PACK",
    ),
    decrs_row(
        ANALYTICAL_FEI,
        ANALYTICAL_DUNS,
        "EXAMPLE Analytical Services GmbH",
        "Beispielstrasse 1, Examplestadt, 12345, Germany (DEU)",
        operations="ANALYSIS",
    ),
    decrs_row(
        LAPSED_FEI,
        LAPSED_DUNS,
        "EXAMPLE Lapsed Pharma Co., Ltd.",
        "1 Example Road, Example City, Zhejiang (ZJ), China (CHN)",
        expires="12/31/2023",
    ),
    decrs_row(
        EXCLUDED_FEI,
        "222333444",
        "EXAMPLE Excluded Labs Ltd",
        "2 Example Lane, Pune, Maharashtra (MH) 411001, India (IND)",
        excluded="Y",
    ),
)
EXEMPLO_ROW = decrs_row(
    EXEMPLO_FEI,
    "111222333",
    "Laboratorios Exémplo S.A. de C.V.",
    "Calle Ejemplo 1, Ciudad de México (CMX), Mexico (MEX)",
)
"""Written in Windows-1252, as FDA's Latin-1 file carries accented names."""
BAD_DECRS_ROWS = (
    decrs_row("ABC", "333444555", "EXAMPLE Bad FEI Ltd", "x, India (IND)"),
    decrs_row("3005556667", "444555666", "EXAMPLE Bad Date Ltd", "x, India (IND)", "2027-12-31"),
    "3005556668\t444555667\tEXAMPLE Short Row Ltd",
    decrs_row("3005556669", "44455566", "EXAMPLE Short DUNS Ltd", "x, India (IND)"),
)


def decrs_bytes(rows: Sequence[str] = GOOD_DECRS_ROWS, latin1_rows: Sequence[str] = ()) -> bytes:
    """drls_reg.txt: CRLF lines; `latin1_rows` encoded as Windows-1252, the rest UTF-8."""
    lines = [DECRS_HEADER.encode(), *(r.encode() for r in rows)]
    lines += [r.encode("cp1252") for r in latin1_rows]
    return b"\r\n".join(lines) + b"\r\n"


def write_zip(path: Path, members: dict[str, bytes], member_date: date) -> Path:
    """A zip whose members carry `member_date` (the date loaders take as `as_of`)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(
                name, (member_date.year, member_date.month, member_date.day, 6, 0, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


CHARGES_CSV = (
    b"ASC_ID,CHRG_CODE,CHRG_STMNT_TEXT,SCTN_NAME\r\n"
    b'3280,NOT LISTED,"The drug does not appear on a list required by section 510(j).",'
    b'"502(o), 801(a)(3); MISBRANDING"\r\n'
    b'3010,UNAPPROVED,"The article appears to be a new drug without an approved application.",'
    b'"505(a), 801(a)(3); UNAPPROVED NEW DRUG"\r\n'
    b'3770,FRNMFGREG,"The article appears to be made in an establishment not registered.",'
    b'"502(o), 801(a)(3); MISBRANDING"\r\n'
    b'3360,DRUG GMPS,"The methods or controls used in manufacture do not conform to GMP.",'
    b'"501(a)(2)(B), 801(a)(3); ADULTERATION"\r\n'
    b'3120,LABELING,"The labeling appears false or misleading.",'
    b'"502(a), 801(a)(3); MISBRANDING"\r\n'
)

REFUSAL_HEADER = (
    "MFG_FIRM_FEI_NUM,LGL_NAME,LINE1_ADRS,LINE2_ADRS,CITY_NAME,PROVINCE_STATE,ISO_CNTRY_CODE,"
    "PRODUCT_CODE,PRDCT_CODE_DESC_TEXT,REFUSAL_DATE,DISTRICT,ENTRY_NUM,RFRNC_DOC_ID,LINE_NUM,"
    "LINE_SFX_ID,FDA_SAMPLE_ANALYSIS,PRIVATE_LAB_ANALYSIS,REFUSAL_CHARGES"
)


def refusal_row(
    fei: str,
    name: str,
    country: str,
    refused_on: date | str,
    charges: str,
    product_code: str = "62GCA11",
    city: str = "Example City",
    entry: str = "K80-2162679-2",
) -> str:
    day = refused_on.strftime("%d-%b-%y").upper() if isinstance(refused_on, date) else refused_on
    return ",".join(
        [fei, f'"{name}"', '"1 Example Road"', "", city, "", country, product_code,
         '"Example drug product"', day, "DNE", entry, "1", "1", "1", "N", "N", f'"{charges}"']
    )  # fmt: skip


def refusal_bytes(rows: Sequence[str], latin1_rows: Sequence[str] = ()) -> bytes:
    lines = [REFUSAL_HEADER.encode(), *(r.encode() for r in rows)]
    lines += [r.encode("cp1252") for r in latin1_rows]
    return b"\r\n".join(lines) + b"\r\n"
