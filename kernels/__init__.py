"""Numba kernels: arrays in, arrays out. Installed as ``fastscratch.kernels``; never imports ``fastscratch``."""
