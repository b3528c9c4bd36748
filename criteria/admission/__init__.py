"""How a firm gets in and moves up: rounds, declarations and their codec, the review workflow,
the pool and its yearly re-verification."""
