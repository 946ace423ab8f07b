#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| govshare_fuzz::ffi_evaluate(data));
