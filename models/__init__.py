"""The shipped model file (``kvclassify.kvc``) and its card; installed as ``kvclassify.models``."""
