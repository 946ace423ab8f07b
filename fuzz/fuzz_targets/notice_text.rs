#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| govshare_fuzz::notice_text(data));
