"""One module per subcommand, each exposing `command` (see `verifier.cli`)."""
