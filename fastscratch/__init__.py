"""fastscratch: a Numba-accelerated, drop-in ScratchNet."""

__version__ = "0.1.0"
