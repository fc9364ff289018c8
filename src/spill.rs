//! Spill: append-only scratch files that hold what a run does not keep in
//! memory (document texts, shingle sets) until a later stage reads it back.
//!
//! In: byte records from worker threads. Out: a [`Loc`] per record, and the
//! record's bytes again on request, from any thread.
//!
//! Why: a million articles are 1.4 GB of text and about as much again of
//! shingles. Holding them would put the run far over its memory budget; the
//! operating system's page cache holds them instead, where they cost no
//! resident memory of ours and come back at memory speed.
//!
//! Each worker thread appends to its own file, so writing takes no lock that
//! another thread wants; a record's place is (file, offset, length), whatever
//! order the threads ran in, so what the run reads back never depends on
//! scheduling. Reads use positioned I/O (`pread`), never a shared cursor.
//! The files live in a folder the caller chooses (the output's staging
//! folder) and are deleted when the [`Spill`] is dropped.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// `bytes` as a string, or an `InvalidData` error if they are not UTF-8.
///
/// Text passes through UTF-8 validation several times in a run (read back
/// from the spill for learning, for stage 3 and for the output), so the
/// check uses simdutf8's vectorized validator: measured with `perf` on the
/// 20,000-document speed corpus, the standard library's check was 2.3% of
/// a run's CPU.
pub(crate) fn utf8_string(bytes: Vec<u8>) -> io::Result<String> {
    match simdutf8::basic::from_utf8(&bytes) {
        // SAFETY: simdutf8 has just checked that `bytes` is valid UTF-8.
        Ok(_) => Ok(unsafe { String::from_utf8_unchecked(bytes) }),
        Err(e) => Err(io::Error::new(io::ErrorKind::InvalidData, e)),
    }
}

/// The longest valid UTF-8 prefix of `bytes`, as a string (a cut at a
/// size cap may split the last character).
pub(crate) fn utf8_prefix_string(mut bytes: Vec<u8>) -> String {
    if let Err(e) = simdutf8::compat::from_utf8(&bytes) {
        bytes.truncate(e.valid_up_to());
    }
    // SAFETY: the bytes up to `valid_up_to` are valid UTF-8, and without an
    // error all of them are.
    unsafe { String::from_utf8_unchecked(bytes) }
}

/// `bytes` as a `&str`, or an `InvalidData` error (see [`utf8_string`]).
pub(crate) fn utf8_str(bytes: &[u8]) -> io::Result<&str> {
    simdutf8::basic::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Where a record is: file, byte offset and length.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Loc {
    pub file: u32,
    pub len: u32,
    pub offset: u64,
}

/// One writer per worker thread (and one for threads outside the pool).
pub struct Spill {
    paths: Vec<PathBuf>,
    writers: Vec<Mutex<Writer>>,
    readers: Vec<File>,
}

struct Writer {
    out: BufWriter<File>,
    len: u64,
}

impl Spill {
    /// Create `slots` spill files named `<dir>/<name>-<i>`. `slots` should be
    /// the worker count: each worker thread writes to its own file.
    pub fn create(dir: &Path, name: &str, slots: usize) -> io::Result<Spill> {
        std::fs::create_dir_all(dir)?;
        let slots = slots.max(1) + 1;
        let mut paths = Vec::with_capacity(slots);
        let mut writers = Vec::with_capacity(slots);
        let mut readers = Vec::with_capacity(slots);
        for i in 0..slots {
            let path = dir.join(format!("{name}-{i}"));
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(true)
                .read(true)
                .write(true)
                .open(&path)?;
            readers.push(file.try_clone()?);
            writers.push(Mutex::new(Writer {
                out: BufWriter::with_capacity(1 << 18, file),
                len: 0,
            }));
            paths.push(path);
        }
        Ok(Spill {
            paths,
            writers,
            readers,
        })
    }

    /// Append a record; returns where it is.
    pub fn write(&self, record: &[u8]) -> io::Result<Loc> {
        let len = u32::try_from(record.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "record larger than 4 GiB"))?;
        let last = self.writers.len() - 1;
        let slot = rayon::current_thread_index().map_or(last, |i| i.min(last - 1));
        let mut w = self.writers[slot]
            .lock()
            .map_err(|_| io::Error::other("spill writer poisoned"))?;
        w.out.write_all(record)?;
        let loc = Loc {
            file: slot as u32,
            len,
            offset: w.len,
        };
        w.len += u64::from(len);
        Ok(loc)
    }

    /// Flush every writer, so that all records written so far can be read.
    pub fn flush(&self) -> io::Result<()> {
        for w in &self.writers {
            w.lock()
                .map_err(|_| io::Error::other("spill writer poisoned"))?
                .out
                .flush()?;
        }
        Ok(())
    }

    /// Read the record at `loc` into `buf` (replacing its contents). The
    /// record must have been flushed.
    pub fn read(&self, loc: Loc, buf: &mut Vec<u8>) -> io::Result<()> {
        buf.clear();
        buf.resize(loc.len as usize, 0);
        let file = self
            .readers
            .get(loc.file as usize)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no such spill file"))?;
        read_exact_at(file, buf, loc.offset)
    }

    /// Bytes written so far, over all files.
    pub fn bytes(&self) -> u64 {
        self.writers
            .iter()
            .map(|w| w.lock().map_or(0, |w| w.len))
            .sum()
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        for path in &self.paths {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

/// Little-endian record encoding helpers, shared by the stages that spill.
pub mod codec {
    /// Append a length-prefixed byte string.
    pub fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(bytes);
    }

    /// Append a length-prefixed list of `u32`.
    pub fn put_u32s(out: &mut Vec<u8>, values: &[u32]) {
        out.reserve(4 * (values.len() + 1));
        out.extend_from_slice(&(values.len() as u32).to_le_bytes());
        for v in values {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }

    /// A cursor over a record.
    pub struct Reader<'a> {
        rest: &'a [u8],
    }

    impl<'a> Reader<'a> {
        pub fn new(record: &'a [u8]) -> Reader<'a> {
            Reader { rest: record }
        }

        fn take(&mut self, n: usize) -> std::io::Result<&'a [u8]> {
            if self.rest.len() < n {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "truncated spill record",
                ));
            }
            let (head, rest) = self.rest.split_at(n);
            self.rest = rest;
            Ok(head)
        }

        pub fn u32(&mut self) -> std::io::Result<u32> {
            let b = self.take(4)?;
            Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        }

        pub fn bytes(&mut self) -> std::io::Result<&'a [u8]> {
            let n = self.u32()? as usize;
            self.take(n)
        }

        pub fn str(&mut self) -> std::io::Result<&'a str> {
            super::utf8_str(self.bytes()?)
        }

        pub fn u32s_into(&mut self, out: &mut Vec<u32>) -> std::io::Result<()> {
            let n = self.u32()? as usize;
            let raw = self.take(n * 4)?;
            out.clear();
            out.extend(
                raw.chunks_exact(4)
                    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            );
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn utf8_checks_agree_with_the_standard_library() {
        // Valid text in several scripts, cut at every byte, and invalid
        // sequences: the vectorized check must give std's answer, and a
        // prefix must stop where std's `valid_up_to` does.
        let texts: [&[u8]; 8] = [
            "Erdoğan, Türkiye".as_bytes(),
            "Киев — Київ".as_bytes(),
            "東京の天気は晴れ".as_bytes(),
            "ข่าวล่าสุด 😀 𝔸".as_bytes(),
            b"caf\xe9 au lait",
            b"\xf0\x9f\x98",
            b"ok \xed\xa0\x80 surrogate",
            b"",
        ];
        for text in texts {
            for cut in 0..=text.len() {
                let b = &text[..cut];
                let std = std::str::from_utf8(b);
                assert_eq!(utf8_str(b).ok(), std.ok(), "{b:?}");
                assert_eq!(utf8_string(b.to_vec()).ok().as_deref(), std.ok(), "{b:?}");
                let valid = std.map_or_else(|e| e.valid_up_to(), |s| s.len());
                let want = std::str::from_utf8(&b[..valid]).unwrap();
                assert_eq!(utf8_prefix_string(b.to_vec()), want, "{b:?}");
            }
        }
        let err = utf8_string(b"a\xffb".to_vec()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn records_come_back_from_any_thread() {
        let dir = std::env::temp_dir().join(format!("dedup-spill-test-{}", std::process::id()));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let spill = Spill::create(&dir, "t", 3).unwrap();
        let records: Vec<String> = (0..500)
            .map(|i| format!("record {i} ").repeat(i % 7))
            .collect();
        let locs: Vec<Loc> = pool.install(|| {
            records
                .par_iter()
                .map(|r| spill.write(r.as_bytes()).unwrap())
                .collect()
        });
        spill.flush().unwrap();
        let mut buf = Vec::new();
        for (r, loc) in records.iter().zip(&locs).rev() {
            spill.read(*loc, &mut buf).unwrap();
            assert_eq!(buf, r.as_bytes());
        }
        let total: usize = records.iter().map(String::len).sum();
        assert_eq!(spill.bytes(), total as u64);
        drop(spill);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        std::fs::remove_dir(&dir).unwrap();
    }

    #[test]
    fn codec_round_trip() {
        let mut out = Vec::new();
        codec::put_bytes(&mut out, "Erdoğan".as_bytes());
        codec::put_u32s(&mut out, &[1, u32::MAX, 7]);
        codec::put_bytes(&mut out, b"");
        let mut r = codec::Reader::new(&out);
        assert_eq!(r.str().unwrap(), "Erdoğan");
        let mut v = Vec::new();
        r.u32s_into(&mut v).unwrap();
        assert_eq!(v, vec![1, u32::MAX, 7]);
        assert_eq!(r.bytes().unwrap(), b"");
        assert!(r.u32().is_err());
    }
}
