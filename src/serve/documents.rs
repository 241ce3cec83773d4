//! The whole-register documents in the preview (`render::DOCUMENTS`: the
//! booklet, data.json, the search index, register.xlsx and .csv), made
//! when first asked for rather than on every save: at 10,000 risks they
//! take seconds, a page takes milliseconds.
//!
//! A [`Pending`] holds only a weak reference to the rebuild's render
//! context, so the next edit can patch it in place (`serve::patch`) without copying
//! them. Documents not made by then are made from the newer snapshot.

use crate::render::Context;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock, Weak};

/// One snapshot's documents, made on first request.
#[derive(Default)]
pub struct Pending {
    ctx: Weak<Context>,
    made: OnceLock<Made>,
}

type Made = Result<BTreeMap<String, Arc<[u8]>>, String>;

/// What a request for a document gets.
pub enum Document {
    Ready(Arc<[u8]>),
    /// Not one of the documents.
    NotOne,
    /// The inputs moved on to a newer snapshot: ask that one.
    Moved,
    /// Rendering failed (the detail).
    Failed(String),
}

impl Pending {
    pub fn new(ctx: &Arc<Context>) -> Pending {
        Pending {
            ctx: Arc::downgrade(ctx),
            made: OnceLock::new(),
        }
    }

    /// The document at `path`, made (all of them, once) if need be.
    pub fn get(&self, path: &str) -> Document {
        if !crate::render::DOCUMENTS.contains(&path) {
            return Document::NotOne;
        }
        let made = match self.made.get() {
            Some(m) => m,
            None => {
                let Some(ctx) = self.ctx.upgrade() else {
                    return Document::Moved;
                };
                self.made.get_or_init(|| make(&ctx))
            }
        };
        match made {
            Ok(files) => files
                .get(path)
                .cloned()
                .map_or(Document::NotOne, Document::Ready),
            Err(e) => Document::Failed(e.clone()),
        }
    }
}

fn make(ctx: &Context) -> Made {
    let sink = crate::write::Memory::default();
    ctx.documents(&sink)
        .map_err(|e| format!("{}: {}", e.page, e.detail))?;
    Ok(sink
        .into_files()
        .into_iter()
        .map(|f| (f.path, Arc::from(f.bytes)))
        .collect())
}
