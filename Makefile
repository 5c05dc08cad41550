# The two commands a fresh clone needs: `make dev` and `make test`.
SHELL := /bin/bash
EMULATOR := infra/scripts/with-emulator.sh
# Built with the whole workspace's feature set, so it reuses what `cargo test --workspace`
# compiled; `-p local-stack` alone resolves features differently and recompiles the SDK.
BUILD_STACK := cargo build --locked -q --workspace --bin local-stack
STACK_BIN := $${CARGO_TARGET_DIR:-target}/debug/local-stack

.PHONY: dev test sms-delivery-logging conformance soak flood browser-test client-test fuzz-api fuzz bench bench-on-time bench-api bench-cold-start lint lambda-build validate bootstrap

## Starts the whole stack locally: emulated AWS (moto) and every API route on
## 127.0.0.1:3000 (PORT to change). Ctrl-C stops everything it started.
dev:
	$(BUILD_STACK)
	$(EMULATOR) $(STACK_BIN)

## Runs every test: unit tests, integration tests against moto through the real AWS SDK,
## end-to-end HTTP tests against the local stack, the manage-booking page in headless
## Chromium, a Python client generated from /openapi.json booking through the stack, and
## schemathesis against /openapi.json (a fixed seed, at least 1,000 cases: no 5xx, every
## answer's status, content type and body as documented). First, in seconds: the
## template's deploy conformance.
test: conformance
	$(EMULATOR) cargo test --workspace --locked
	$(EMULATOR) .venv/bin/python -m unittest discover -s infra/scripts -p 'test_*.py'
	$(BUILD_STACK)
	$(EMULATOR) infra/scripts/browser-test.sh
	$(EMULATOR) infra/scripts/client-test.sh
	$(EMULATOR) env EXAMPLES=10 SEED=1 MIN_CASES=1000 infra/scripts/api-fuzz.sh
	cargo build --locked -q --workspace --bin soak
	$(EMULATOR) $${CARGO_TARGET_DIR:-target}/debug/soak --bookings $(SOAK_SHORT) --slots 5

## What AWS enforces on the deployed template and the emulator cannot show: cfn-lint,
## checkov (the template and its SAM expansion) and the project's own rules with their
## tests (infra/conformance; docs/deploy.md). Offline; installs .venv-conformance.
conformance:
	infra/scripts/conformance.sh

## The fault soak: every AWS call of the application through a proxy that throttles,
## fails, delays and drops 5% of them (seeded), during 1,000 bookings with reschedules,
## cancellations and STOPs; no duplicate text, no lost reminder or consent record, every
## failure visible (docs/reliability.md). `make test` runs it with $(SOAK_SHORT) bookings.
SOAK_BOOKINGS ?= 1000
SOAK_SHORT ?= 100
soak:
	cargo build --locked -q --workspace --bin soak
	$(EMULATOR) $${CARGO_TARGET_DIR:-target}/debug/soak --bookings $(SOAK_BOOKINGS)

## Hostile input against /openapi.json (schemathesis, ~2,500 requests): zero 5xx, every
## answer as documented. See docs/reliability.md.
fuzz-api:
	$(BUILD_STACK)
	$(EMULATOR) infra/scripts/api-fuzz.sh

## The manage-booking page in headless Chromium (part of `make test`).
browser-test:
	$(BUILD_STACK)
	$(EMULATOR) infra/scripts/browser-test.sh

## A client generated from /openapi.json by openapi-python-client books one interview
## through the local stack (part of `make test`).
client-test:
	$(BUILD_STACK)
	$(EMULATOR) infra/scripts/client-test.sh

## The deploy step after `sam deploy`: turns on SNS's SMS delivery-status logging for the
## account with the stack's role, so each text's carrier outcome and AWS-reported opt-outs
## reach the stack (docs/deploy.md, "Carrier outcomes"). STACK=<stack name>; REPLACE=1
## takes over from another role the account already names.
sms-delivery-logging: bootstrap
	.venv/bin/python infra/scripts/sms_delivery_logging.py --stack-name $(STACK) $(if $(REPLACE),--replace,)

## Benchmarks against the emulator; results are written to docs/benchmarks.md by hand
## from this output (see that file for the figures and how they were taken).
bench:
	$(EMULATOR) cargo run --locked -q -p bench --bin dispatch-bench -- --reminders 1000 --rate 100
	$(EMULATOR) cargo run --locked -q -p bench --bin dispatch-bench -- --reminders 10000 --rate 100

## SMS pumping: 1,000 bookings with fresh numbers from one client against one share
## link, while real participants book; texts to the flood must stay within the limit
## (docs/reliability.md). FLOOD_SOURCES=20 floods from 20 addresses.
flood:
	cargo build --locked -q -p bench --bin flood-bench
	$(EMULATOR) $${CARGO_TARGET_DIR:-target}/debug/flood-bench --bookings 1000 --sources $${FLOOD_SOURCES:-1}

## Reminders on time at the carrier's rate: REMINDERS (default 1000) due in one minute,
## booked through the public route and sent by the real dispatcher at RATE msg/s
## (default 3), then 10,000 on a virtual clock; one line each (docs/benchmarks.md).
REMINDERS ?= 1000
RATE ?= 3
bench-on-time:
	cargo build --locked -q -p bench --bin on-time-bench
	$(EMULATOR) $${CARGO_TARGET_DIR:-target}/debug/on-time-bench --reminders $(REMINDERS) --rate $(RATE)

## DynamoDB requests per route and warm latency (see docs/benchmarks.md).
bench-api:
	$(EMULATOR) cargo run --locked -q -p bench --bin api-bench -- --samples 200

bootstrap:
	infra/scripts/bootstrap.sh

validate: bootstrap
	.venv/bin/sam validate --lint

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings

## Builds every Lambda function for arm64, as SAM would.
lambda-build: bootstrap
	PROFILE=$(LAMBDA_PROFILE) infra/scripts/lambda-build.sh

LAMBDA_PROFILE ?= arm64-check

## Cold start of every function (this machine's architecture) against a local
## Runtime API: init, as a ratio to an empty lambda_runtime function, and the first
## response to a real first event reading DynamoDB at the emulator, as a ratio to a
## minimal lambda_runtime + aws-sdk-dynamodb function (docs/benchmarks.md).
## PROFILE=release measures the deployed build (slow to build: fat LTO); FUNCTIONS=
## a subset.
PROFILE ?= fast
FUNCTIONS ?= $(notdir $(wildcard functions/*))
bench-cold-start:
	cargo build --profile $(PROFILE) --locked -q $(foreach f,$(FUNCTIONS),-p $(f)) -p bench --bins
	$(EMULATOR) $${CARGO_TARGET_DIR:-target}/$(PROFILE)/cold-start-bench --dir $${CARGO_TARGET_DIR:-target}/$(PROFILE) --runs 15 $(FUNCTIONS)

## cargo-fuzz targets (nightly): keyword classifier, phone parsing, SNS verifier, panel
## webhook signature; FUZZ_SECONDS each (default 60).
fuzz:
	command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz --quiet
	cd fuzz && for t in keywords phone sns_verifier panel_signature; do \
	  cargo +nightly fuzz run $$t -- -max_total_time=$${FUZZ_SECONDS:-60} || exit 1; done
