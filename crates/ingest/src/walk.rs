//! Expanding command-line inputs into files: folders are walked recursively in a stable
//! (sorted) order and streamed, so a folder of 50,000 files is never listed into memory
//! all at once beyond walkdir's own directory buffers.

use std::path::{Path, PathBuf};

/// One input to read: a file on disk, or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    pub fn origin(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }
}

/// Every input under `paths`, in order; errors (unreadable folder, missing path) come
/// back in place so the caller can report them and go on.
pub fn inputs<'a>(paths: &'a [PathBuf]) -> impl Iterator<Item = Result<Input, (String, String)>> + 'a {
    paths.iter().flat_map(|p| -> Box<dyn Iterator<Item = Result<Input, (String, String)>>> {
        if p.as_os_str() == "-" {
            return Box::new(std::iter::once(Ok(Input::Stdin)));
        }
        if !p.exists() {
            return Box::new(std::iter::once(Err((p.display().to_string(), "no such file or directory".to_string()))));
        }
        if p.is_file() {
            return Box::new(std::iter::once(Ok(Input::File(p.clone()))));
        }
        Box::new(
            walkdir::WalkDir::new(p)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| !is_hidden(e.path()) || e.depth() == 0)
                .filter_map(|entry| match entry {
                    Ok(e) if e.file_type().is_file() => Some(Ok(Input::File(e.into_path()))),
                    Ok(_) => None,
                    Err(err) => Some(Err((
                        err.path().map(|p| p.display().to_string()).unwrap_or_default(),
                        err.to_string(),
                    ))),
                }),
        )
    })
}

fn is_hidden(p: &Path) -> bool {
    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_folders_sorted_and_skips_hidden() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("b.txt"), "b").unwrap();
        std::fs::write(dir.path().join("sub/a.txt"), "a").unwrap();
        std::fs::write(dir.path().join(".hidden"), "h").unwrap();
        let got: Vec<_> = inputs(&[dir.path().to_path_buf()]).map(|r| r.unwrap().origin()).collect();
        assert_eq!(got.len(), 2);
        assert!(got[0].ends_with("b.txt") && got[1].ends_with("sub/a.txt"));
    }

    #[test]
    fn missing_path_is_an_error_in_place() {
        let paths = [PathBuf::from("/definitely/not/here"), PathBuf::from("-")];
        let got: Vec<_> = inputs(&paths).collect();
        assert!(got[0].is_err());
        assert_eq!(got[1], Ok(Input::Stdin));
    }
}
