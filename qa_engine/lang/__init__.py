"""The condition language: parser, static checker and three-valued evaluator."""
