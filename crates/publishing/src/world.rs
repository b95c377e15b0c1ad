//! The smallest world typst needs: one generated source, the figures' SVG files, and the vendored
//! Noto Sans. Nothing is read from disk or the network, so a document cannot reach outside itself.

use std::collections::HashMap;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Noto Sans, regular and bold (SIL Open Font License 1.1; `fonts/OFL.txt`). It covers every
/// Latin letter the offices' names and places use: Welsh ŵ and ŷ, Irish fadas, Polish ł and ż.
static FONTS: LazyLock<Vec<Font>> = LazyLock::new(|| {
    [&include_bytes!("../fonts/NotoSans-Regular.ttf")[..], &include_bytes!("../fonts/NotoSans-Bold.ttf")[..]]
        .into_iter()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect()
});

static BOOK: LazyLock<LazyHash<FontBook>> = LazyLock::new(|| LazyHash::new(FontBook::from_fonts(FONTS.iter())));

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::builder().build()));

pub(crate) fn file_id(path: &str) -> Option<FileId> {
    let path = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, path).intern())
}

pub(crate) struct DocumentWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

impl DocumentWorld {
    /// `files` are the figures, by the names the source uses for them.
    pub(crate) fn new(source: String, files: Vec<(String, Vec<u8>)>, today: time::Date) -> Option<DocumentWorld> {
        let main = Source::new(file_id("/main.typ")?, source);
        let files = files
            .into_iter()
            .map(|(name, bytes)| Some((file_id(&format!("/{name}"))?, Bytes::new(bytes))))
            .collect::<Option<HashMap<_, _>>>()?;
        let today = Datetime::from_ymd(today.year(), u8::from(today.month()), today.day())?;
        Some(DocumentWorld { main, files, today })
    }
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &BOOK
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::NotSource) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.get(&id).cloned().ok_or_else(|| FileError::NotFound(id.get().vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
