"""Assisted coding's numbers: text units to sparse features, a logistic regression on them, and its words.

Pure numpy, no database and no I/O: ``services.suggest`` reads the units and codings, this learns
from them and scores. Everything is deterministic: the same units and labels give the same model.
"""

from mda_coder.analysis.suggest.features import Features, Matrix, featurize
from mda_coder.analysis.suggest.logistic import Model, fit
from mda_coder.analysis.suggest.similarity import similar

__all__ = ["Features", "Matrix", "Model", "featurize", "fit", "similar"]
