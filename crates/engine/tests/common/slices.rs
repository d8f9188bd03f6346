//! A [`FileSource`] that reads in slices of at most `.1` bytes, to cross every chunk boundary
//! of the readers. Shared by the native import tests.
#![allow(dead_code)]

use member_engine::import::load::{FileSource, MemoryFiles};

/// Files in memory, read at most `.1` bytes at a time.
pub struct Slices(pub MemoryFiles, pub u64);

impl Slices {
    /// One file of `bytes` named `name`.
    pub fn one(name: &str, bytes: Vec<u8>, slice: u64) -> Self {
        Slices(MemoryFiles(vec![(name.to_string(), bytes)]), slice)
    }
}

impl FileSource for Slices {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn name(&self, f: usize) -> String {
        self.0.name(f)
    }
    fn size(&self, f: usize) -> u64 {
        self.0.size(f)
    }
    fn read(&mut self, f: usize, offset: u64, len: u64) -> Result<Vec<u8>, String> {
        self.0.read(f, offset, len.min(self.1))
    }
}
