//! The crash test (written below).
