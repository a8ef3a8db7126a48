"""my-images: a network taught the learner's own classes (`train`), on a base (`bases`), with
the frozen base's features cached in the run folder (`features`)."""
