"""Package data: the policykg ontology, theme scheme, shapes and extraction gazetteers."""
