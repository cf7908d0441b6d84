"""The networks, on the Numba kernels: drop-in classes with the originals' names and numbers.

- ``scratchnet``: ``ScratchNet`` (the PII notebook's MLP), its ``fit`` and ``History``;
- ``defaults``: the notebook's architecture and hyperparameters, the defaults everywhere;
- ``aligned``, ``checks``, ``threads``: what the networks share (cache-line-aligned buffers,
  input checks, the BLAS thread setting around the two-thread kernels).
"""
