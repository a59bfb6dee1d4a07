"""The pain scales a rating may be on: the 0-10 NRS (the kit's own), and the apps'
own severity scales, which stay themselves (PROGRAM.md, "Other pain scales").

Pure data. A rating's scale is the ``scale`` column of the pain frame (``"nrs"`` for
every rating of a 0-10 log); the NRS rules (baseline, 2-point / 30 % change, flares)
apply to ``"nrs"`` ratings only. A person may convert another scale's ratings with a
mapping of their own choosing (:func:`backrx_analysis.analysis.pain.convert_scale`);
the kit never does it on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Scale", "SCALES", "NRS", "scale_of"]

#: the key of the 0-10 Numeric Rating Scale
NRS = "nrs"


@dataclass(frozen=True)
class Scale:
    """A rating scale: its points run from ``low`` to ``high`` in whole steps
    (any decimal for the NRS), each point with its word where the scale has words."""

    key: str
    name: str
    low: int
    high: int
    words: tuple[str, ...] = ()  # the word of each point, low to high (empty: numbers only)

    def word(self, value: float) -> str:
        """The scale's word for a point (``2`` on Bearable's scale: ``"moderate"``), or
        the number as text."""
        i = int(value) - self.low
        if self.words and float(value).is_integer() and 0 <= i < len(self.words):
            return self.words[i]
        return f"{value:g}"

    @property
    def accepted(self) -> str:
        if self.words:
            points = ", ".join(f"{self.low + i} {w}" for i, w in enumerate(self.words))
            return f"{self.name}: {points}"
        return f"{self.name}: {self.low} to {self.high}"


SCALES: dict[str, Scale] = {
    NRS: Scale(NRS, "0-10 Numeric Rating Scale (0 no pain, 10 worst imaginable)", 0, 10),
    "bearable": Scale("bearable", "Bearable's symptom severity", 0, 4,
                      ("none", "mild", "moderate", "severe", "unbearable")),
    "apple_health": Scale("apple_health", "Apple Health's symptom severity", 0, 3,
                          ("not present", "mild", "moderate", "severe")),
}


def scale_of(key: str) -> Scale:
    """The :class:`Scale` of a key of :data:`SCALES` (``KeyError`` naming the keys)."""
    try:
        return SCALES[key]
    except KeyError:
        raise KeyError(f"unknown pain scale {key!r}; known: {', '.join(SCALES)}") from None
