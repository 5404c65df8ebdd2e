//! The site root: emptied, then `public/` copied in, as cargo-leptos's
//! assets step did (its `pkg/` is rebuilt by the other steps here, so it
//! goes too: no bundle file of an older build survives, nor a stale `.gz`
//! or `.br` the server would prefer to the new file).
use std::path::Path;

use crate::error::BuildError;
use crate::Site;

const ASSETS_DIR: &str = "public";

pub fn mirror(site: &Site) -> Result<(), BuildError> {
    empty(&site.root)?;
    copy_dir(Path::new(ASSETS_DIR), &site.root)
}

fn empty(dir: &Path) -> Result<(), BuildError> {
    for entry in std::fs::read_dir(dir).map_err(BuildError::io(dir))? {
        let entry = entry.map_err(BuildError::io(dir))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(BuildError::io(&path))?;
        if kind.is_dir() {
            std::fs::remove_dir_all(&path).map_err(BuildError::io(&path))?;
        } else {
            std::fs::remove_file(&path).map_err(BuildError::io(&path))?;
        }
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), BuildError> {
    std::fs::create_dir_all(to).map_err(BuildError::io(to))?;
    for entry in std::fs::read_dir(from).map_err(BuildError::io(from))? {
        let entry = entry.map_err(BuildError::io(from))?;
        let src = entry.path();
        let dest = to.join(entry.file_name());
        if entry.file_type().map_err(BuildError::io(&src))?.is_dir() {
            copy_dir(&src, &dest)?;
        } else {
            std::fs::copy(&src, &dest).map_err(BuildError::io(&src))?;
        }
    }
    Ok(())
}
