// libFuzzer's driver entry point (in the toolchain's libclang_rt.fuzzer), declared for Swift:
// SwiftPM names an executable's entry point TARGET_main, so the harnesses call the driver
// from there instead of linking libFuzzer's own main.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
