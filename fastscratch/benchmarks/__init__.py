"""Benchmark workloads, shared by ``make bench`` (``bench/``) and ``fastscratch bench``: generated
inputs, the timed units of work and the peers (PyTorch). Never imported by the library.
"""
