"""What the commands write and print beside a model: the training lines, the history file, small
text and JSON files (atomically), and where a model's word vectors came from."""

from __future__ import annotations

import json
import os

from fastscratch.app.modelfile import load_arrays, save_arrays
from fastscratch.app.stores import DEFAULT_VECTORS
from fastscratch.atomic import atomic_file
from fastscratch.nets.scratchnet import epoch_line


def vectors_source(spec: str | None) -> str:
    """``default``, or the absolute path of a vector store."""
    return DEFAULT_VECTORS if spec in (None, DEFAULT_VECTORS) else os.path.abspath(spec)


def record_vectors_source(model_path, spec) -> None:
    """Store where the vectors came from in the model's metadata, so later commands find them."""
    layers, meta, extra = load_arrays(model_path, with_extra=True)
    meta["vectors_source"] = vectors_source(spec)
    save_arrays(model_path, layers, meta, extra=extra)


def training_line(history, epoch, loss, accuracy, seconds) -> str:
    """The notebook's epoch line, with the validation loss and accuracy when there are some."""
    if history is not None and len(history.val_loss) > epoch:
        return epoch_line(epoch + 1, loss, accuracy, seconds, val_loss=history.val_loss[epoch],
                          val_accuracy=history.val_accuracy[epoch])
    return epoch_line(epoch + 1, loss, accuracy, seconds)


def write_history(history, path) -> None:
    """The training history as CSV (one row per epoch, the validation columns when there are
    some) or, for a ``.json`` path, as JSON."""
    import pandas as pd

    columns = {"epoch": range(1, len(history) + 1), "loss": history.loss, "accuracy": history.accuracy}
    if history.val_loss:
        columns.update(val_loss=history.val_loss, val_accuracy=history.val_accuracy)
    frame = pd.DataFrame(dict(columns, seconds=history.seconds))
    if str(path).endswith(".json"):
        write_json(path, history.as_dict())
    else:
        write_text(path, frame.to_csv(index=False))


def write_json(path, obj) -> None:
    """Write ``obj`` as indented JSON, atomically."""
    def write(tmp):
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(obj, f, indent=2)
            f.write("\n")

    atomic_file(path, write)


def write_text(path, text: str) -> None:
    """Write ``text`` (UTF-8), atomically."""
    def write(tmp):
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)

    atomic_file(path, write)
