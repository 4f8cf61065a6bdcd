//! The course map (stage 5). A course of more than [`course::SPLIT_LESSONS`] lessons in several
//! parts gets one page per part (`course-map/1/`, `course-map/2/`, …) and a map that lists
//! the parts with their totals (issue 15: no page grows with the course; at 10,000 lessons
//! the whole map was 15 MB of HTML, made in one piece, and 1.5 MB at 1,000). A smaller
//! course keeps the single page.

use super::{put_generated, Build};
use crate::content::Book;
use crate::diagnostic::Diagnostic;
use crate::site::course::{self, CourseFacts, MapPart};
use crate::site::nav::SidebarView;
use crate::site::view::{paginate, Views};
use std::collections::BTreeSet;
use std::sync::Arc;

impl Build<'_> {
    /// Writes the course map at `url`: one page, or split by part when the course has more
    /// than [`course::SPLIT_LESSONS`] lessons, more than one part, and nothing else is written under
    /// `url`.
    pub(super) fn write_course_map(
        &self,
        facts: &CourseFacts<'_>,
        views: &Views<'_>,
        sidebar: &SidebarView,
        url: &str,
        quiz_questions: &[usize],
    ) -> Vec<Diagnostic> {
        let (book, sink, memo) = (self.book_ref(), self.sink, &self.resources.memo);
        let home = self.base.path.clone();
        let title = self.site_view.t.get("course_map").to_string();
        let top_nav = views.top_nav();
        let parts = course::parts(book, facts.chapters);
        let render = |view: &crate::site::course::CourseMapView<'_>| {
            let html = self
                .templates
                .course_map(&self.site_view, view, &top_nav, sidebar)?;
            Ok(Arc::new(html.into_bytes()))
        };
        let key = |what: &str, part: u64| {
            self.keys.as_ref().map(|k| {
                k.generated(what, |h| {
                    h.json(quiz_questions).u64(part);
                })
            })
        };
        if !course::by_part(book, facts.chapters) || self.writes_under(url) {
            let html = memo.generated(key("course map", 0), || {
                let mut view = facts.map(views.url_href(url), home.clone());
                view.title = title.clone();
                render(&view)
            });
            return put_generated(sink, url, &html).into_iter().collect();
        }
        let mut problems = Vec::new();
        let mut listed = Vec::new();
        let mut skills = BTreeSet::new();
        let mut totals = (0, 0, 0);
        let up = views.url_href(url);
        for (n, (node, range)) in parts.iter().enumerate() {
            let part_url = course::part_url(url, n);
            let part_title = &book.page_of(*node).title;
            let chapters = &facts.chapters[range.clone()];
            let mut view = facts.map_of(chapters, views.url_href(&part_url), home.clone());
            skills.extend(view.skills.iter().map(|s| s.name.to_lowercase()));
            totals.0 += view.minutes;
            totals.1 += view.estimated_lessons;
            totals.2 += view.estimated_minutes;
            listed.push(MapPart {
                title: part_title,
                href: view.href.clone(),
                chapters: chapters.len(),
                lessons: view.lessons,
                minutes: view.minutes + view.estimated_minutes,
                quiz_questions: view.quiz_questions,
            });
            let html = memo.generated(key("course map part", n as u64 + 1), || {
                view.title = format!("{title}: {part_title}");
                view.up_href = Some(up.clone());
                render(&view)
            });
            problems.extend(put_generated(sink, &part_url, &html));
        }
        // Issue 15: a map of more than 100 parts lists them 100 at a time, on
        // `course-map/page/2/`, … (nothing else is written under `url`).
        let pages = paginate(listed.len(), url, &up, |u| views.url_href(u), |_| false);
        for (page_url, range, pagination) in pages {
            let n = pagination.as_ref().map_or(1, |p| p.number);
            let what = if n == 1 {
                "course map"
            } else {
                "course map page"
            };
            let html = memo.generated(key(what, n as u64 - 1), || {
                let href = views.url_href(&page_url);
                let mut view = facts.map_of(&[], href, home.clone());
                view.title = title.clone();
                view.skill_count = skills.len();
                for part in &listed {
                    view.lessons += part.lessons;
                    view.quiz_questions += part.quiz_questions;
                }
                (view.minutes, view.estimated_lessons, view.estimated_minutes) = totals;
                view.parts = listed[range.clone()].to_vec();
                view.parts_pages = pagination.clone();
                render(&view)
            });
            problems.extend(put_generated(sink, &page_url, &html));
        }
        problems
    }

    fn book_ref(&self) -> &Book {
        &self.book
    }

    /// True when a page, asset or static file is written under `url` (besides at it): the
    /// course map then stays one page rather than take paths below it.
    fn writes_under(&self, url: &str) -> bool {
        let below = |u: &str| u.len() > url.len() && u.starts_with(url);
        self.book.pages.iter().any(|p| below(&p.url))
            || self.book.assets.values().any(|a| below(&a.url))
            || self.static_files.keys().any(|f| below(f.as_str()))
    }
}
