"""What the report tests share: the text and the white share of a PDF's pages, and the
marker put in the notes of the sample logs (``marked``)."""

from __future__ import annotations

import re

import numpy as np
import pytest

pypdf = pytest.importorskip("pypdf")
pdfium = pytest.importorskip("pypdfium2")

MARKER = "ZQXJ-PRIVATE-NOTE-7731"


def pdf_text(path) -> list[str]:
    reader = pypdf.PdfReader(str(path))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def white_share(path) -> list[float]:
    doc = pdfium.PdfDocument(str(path))
    shares = []
    for i in range(len(doc)):
        img = np.asarray(doc[i].render(scale=0.5).to_pil().convert("L"))
        shares.append(float((img > 250).mean()))
    doc.close()
    return shares
