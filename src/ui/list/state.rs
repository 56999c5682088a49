//! The list's state: query, filters, sort and the rows they select, shared by the header's search
//! box, the list, the export bar and the list print.

use crate::app::archive::Services;
use crate::app::prefs;
use crate::domain::i18n::Msg;
use crate::domain::search::{Filter, Sort};
use leptos::prelude::*;

/// Search results shown at most; more matches are counted and narrowed by typing.
pub const SEARCH_LIMIT: usize = 200;
pub const SORTS: [(Sort, Msg); 4] = [
    (Sort::Updated, Msg::SortUpdated),
    (Sort::Name, Msg::SortName),
    (Sort::Created, Msg::SortCreated),
    (Sort::Class, Msg::SortClass),
];

/// The rows the list shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rows {
    pub ids: Vec<u32>,
    pub total: usize,
    pub searching: bool,
}

/// Query, filters and the rows they select; shared by the header's search box and the list.
#[derive(Clone, Copy)]
pub struct ListState {
    pub query: RwSignal<String>,
    pub filter: RwSignal<Filter>,
    pub sort: RwSignal<Sort>,
    /// Keyboard selection in the rows (Enter opens it).
    pub selected: RwSignal<usize>,
    pub rows: Memo<Rows>,
    /// Profiles ticked for export (ids); empty: export takes the current list.
    pub picked: RwSignal<std::collections::BTreeSet<String>>,
    svc: Services,
}

impl ListState {
    pub fn new(svc: Services) -> ListState {
        let query = RwSignal::new(String::new());
        let filter = RwSignal::new(Filter::default());
        let sort = RwSignal::new(SORTS.get(prefs::sort()).map_or(Sort::Updated, |s| s.0));
        let rows = Memo::new(move |_| {
            let q = query.get();
            let f = filter.get();
            let s = sort.get();
            // A whole ID number is held sealed: found by its tag (first), as well as by the text.
            let tagged = svc.tag_query(&q);
            svc.with_index(|ix| {
                if q.trim().is_empty() {
                    let ids = ix.list(&f, s);
                    Rows { total: ids.len(), ids, searching: false }
                } else {
                    let r = ix.search(&q, &f, SEARCH_LIMIT);
                    let Some(by_tag) = tagged.map(|tq| ix.search(&tq, &f, SEARCH_LIMIT)).filter(|t| t.total > 0) else {
                        return Rows { ids: r.hits, total: r.total, searching: true };
                    };
                    let rest: Vec<u32> = r.hits.into_iter().filter(|h| !by_tag.hits.contains(h)).collect();
                    let mut ids = by_tag.hits;
                    ids.extend(rest);
                    ids.truncate(SEARCH_LIMIT);
                    Rows { total: r.total + by_tag.total, ids, searching: true }
                }
            })
        });
        ListState {
            query,
            filter,
            sort,
            selected: RwSignal::new(0),
            rows,
            picked: RwSignal::new(Default::default()),
            svc,
        }
    }

    /// The profiles the list shows, in its order (what export and the office's list print take).
    pub fn shown_ids(self) -> Vec<String> {
        self.svc.with_index_untracked(|ix| {
            self.rows.with_untracked(|r| r.ids.iter().map(|&p| ix.entry(p).id.clone()).collect())
        })
    }

    /// The id of the selected row.
    pub fn selected_id(self) -> Option<String> {
        let pos = self.rows.with_untracked(|r| r.ids.get(self.selected.get_untracked()).copied())?;
        Some(self.svc.with_index_untracked(|ix| ix.entry(pos).id.clone()))
    }

    /// Moves the keyboard selection.
    pub fn move_selection(self, by: i64) {
        let n = self.rows.with_untracked(|r| r.ids.len()) as i64;
        if n > 0 {
            self.selected.update(|s| *s = (*s as i64 + by).clamp(0, n - 1) as usize);
        }
    }
}
