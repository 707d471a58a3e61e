# Vireo front door. `make run`, `make check`, `make bench`; everything else is CMake + Ninja.
BUILD ?= build
JOBS  ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps build run check bench clean

all: build

deps:
	@tools/install-deps.sh

$(BUILD)/build.ninja: | deps
	@cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@tools/run-default-guest.sh $(BUILD)

check: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench:
	@tools/install-deps.sh bench
	@$(MAKE) --no-print-directory build
	@cmake --build $(BUILD) --target vireo-bench
	@$(BUILD)/tests/bench/vireo-bench
	@tools/bench-vs-qemu $(BUILD)
	@tools/bench-linux $(BUILD)
	@tools/profile-boot $(BUILD)
	@VIREO_FUZZ_BLOCKS=2000000 $(BUILD)/tests/cpu/vireo-fuzz-test
	@for seed in 1 2 3; do VIREO_FUZZ_OPS=3000000 VIREO_FUZZ_SEED=$$seed \
	    $(BUILD)/tests/unit/vireo-unit --gtest_filter='Q35Fuzz.*' --gtest_brief=1 || exit 1; done

clean:
	rm -rf $(BUILD)
