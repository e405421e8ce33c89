# Doorstep. `make run` builds everything and serves the app on
# http://127.0.0.1:8080; `make test` runs every test, the browser ones too.
#
# Targets are files with their sources as prerequisites, so nothing is built
# again until something it is built from changes.

GO ?= go
# Brotli at 11 takes about a minute on a small machine but gives the smallest
# app.wasm as served; `make wasm BROTLI_QUALITY=5` is quicker while iterating.
BROTLI_QUALITY ?= 11

WASM_SRC := $(shell find app shared -name '*.go' -not -name '*_test.go') go.mod go.sum
SERVER_SRC := $(shell find server app shared -type f -not -name '*_test.go' -not -path 'server/e2e/*' -not -path 'server/internal/*') go.mod go.sum

.PHONY: run build wasm test vet clean icons download

## run: download modules, build the wasm and the server, serve on 127.0.0.1:8080
## with the demo landlord. The data folder is the server's own choice
## (DOORSTEP_DATA, else ./data), so it is not passed here: a flag would win
## over the environment.
run: download
	@$(MAKE) --no-print-directory wasm build
	./bin/doorstep -demo

download:
	$(GO) mod download

## build: the server binary, bin/doorstep
build: bin/doorstep

bin/doorstep: $(SERVER_SRC)
	$(GO) build -o $@.tmp ./server
	mv $@.tmp $@

## wasm: web/app.wasm and its brotli copy web/app.wasm.br
wasm: web/app.wasm web/app.wasm.br

web/app.wasm: $(WASM_SRC)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $@.tmp ./app
	mv $@.tmp $@

web/app.wasm.br: web/app.wasm bin/brcompress
	bin/brcompress -quality $(BROTLI_QUALITY) -in web/app.wasm -out $@

bin/brcompress: $(wildcard server/internal/brcompress/*.go) go.mod go.sum
	$(GO) build -o $@ ./server/internal/brcompress

## test: vet, then every Go test, including the browser tests in Chromium
test: vet wasm
	@if [ "$$CI" = "true" ] && ! command -v chromium >/dev/null 2>&1; then \
		echo "CI=true and Chromium is missing: install Debian's chromium (.ci/run does)"; exit 1; fi
	$(GO) test ./...
	$(GO) test ./server/api -run '^$$' -fuzz '^FuzzSyncRequest$$' -fuzztime 10s

## vet: gofmt, go vet for the host, and go vet for the wasm client
vet:
	@unformatted="$$(gofmt -l app server shared)"; if [ -n "$$unformatted" ]; then \
		echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./app/... ./shared/...

## icons: draw web/icon-*.png and web/icon.svg again (they are committed)
icons:
	$(GO) run ./server/internal/icongen -out web

## clean: remove build output; never ./data, which holds the database
clean:
	rm -rf bin web/app.wasm web/app.wasm.br web/*.tmp

## bench: the phone's budgets in headless Chromium, offline: saving a visit
## (tap to durable in IndexedDB; median ≤ 50 ms) and a cold start to a usable
## screen (median ≤ 1.5 s); then sync against the real server binary: 10,000
## promises pushed and pulled on a fresh phone beside PouchDB replicating the
## same number to pouchdb-server (the peer in ../shared/bench/pouchdb-peer,
## installed with npm under bin/ when that folder is there), and 200 phones
## syncing at once; then the import of a large landlord's files (100,000
## tenancies, 2,000 staff) by `doorstep import`, first and again unchanged;
## then Lighthouse's mobile first load of /, /visits/new and a tenant's page
## (installed with npm under bin/lighthouse; skipped without npm);
## last, a phone holding a whole patch (5,000 tenancies, 50,000 promises,
## 20,000 visits): its first sync, cold start, search, opening a tenancy,
## saving a visit and the wasm's memory. At full size it does not yet finish
## (issue 14): DOORSTEP_PATCH_DIVISOR=10 runs a tenth of it.
POUCH_SRC := ../shared/bench/pouchdb-peer
POUCH_PEER := bin/pouchdb-peer

.PHONY: bench pouch-peer lighthouse
bench: wasm pouch-peer lighthouse
	$(GO) test ./server/e2e -run '^$$' -bench '^Benchmark(SaveVisit|ColdStartOffline)$$' -benchtime 20x -timeout 30m
	DOORSTEP_POUCH_PEER=$(if $(wildcard $(POUCH_PEER)/node_modules),$(abspath $(POUCH_PEER))) \
		$(GO) test ./server/e2e -run '^$$' -bench '^BenchmarkSync' -benchtime 1x -timeout 30m
	$(GO) test ./server/e2e -run '^$$' -bench '^BenchmarkImport$$' -benchtime 1x -timeout 30m
	DOORSTEP_LIGHTHOUSE=$(if $(wildcard $(LIGHTHOUSE)),$(abspath $(LIGHTHOUSE))) \
		$(GO) test ./server/e2e -run '^$$' -bench '^BenchmarkFirstStart$$' -benchtime 1x -timeout 30m
	$(GO) test ./server/e2e -run '^$$' -bench '^BenchmarkPatch$$' -benchtime 1x -timeout 30m

pouch-peer:
	@if [ -d $(POUCH_SRC) ] && command -v npm >/dev/null 2>&1; then \
		mkdir -p $(POUCH_PEER) && cp $(POUCH_SRC)/package.json $(POUCH_SRC)/peer.js $(POUCH_PEER)/ && \
		(cd $(POUCH_PEER) && [ -d node_modules ] || npm install --no-audit --no-fund --loglevel=error); \
	else echo "no $(POUCH_SRC) or no npm: the sync benchmark runs without the PouchDB comparison"; fi

# Lighthouse is a development tool from npm, pinned here and installed under
# bin/ like the PouchDB peer; `make test` never needs it.
LIGHTHOUSE_VERSION := 12.8.2
LIGHTHOUSE := bin/lighthouse/node_modules/.bin/lighthouse

lighthouse:
	@if command -v npm >/dev/null 2>&1; then \
		mkdir -p bin/lighthouse && (cd bin/lighthouse && [ -x node_modules/.bin/lighthouse ] || \
		{ echo '{"private": true}' > package.json && \
		npm install --no-audit --no-fund --loglevel=error lighthouse@$(LIGHTHOUSE_VERSION); }); \
	else echo "no npm: the first-start benchmark is skipped"; fi
