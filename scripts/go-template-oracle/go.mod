module peregrine/scripts/go-template-oracle

go 1.26
