# The two commands of README.md: `make demo` (set up, then ingest the samples into ./out) and `make test`.
.PHONY: setup build demo test typecheck clean

setup: node_modules/.package-lock.json dist/cli/main.js

node_modules/.package-lock.json: package.json package-lock.json
	npm ci

dist/cli/main.js: node_modules/.package-lock.json $(shell find src -name '*.ts') tsconfig.json tsconfig.build.json
	npx tsc -p tsconfig.build.json

build: dist/cli/main.js

demo: setup
	node bin/newsprint.mjs ingest samples --out out

typecheck: node_modules/.package-lock.json
	npx tsc -p tsconfig.json --noEmit

test: setup typecheck
	npx vitest run

clean:
	rm -rf dist out eval
