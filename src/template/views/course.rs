//! Course views: what lesson pages add to `page` (`page.lesson`), the links every `course`
//! object carries (print, instructor view, certificate), and the whole-course views of the
//! print page, the instructor view and the certificate page.
//!
//! Objectives, questions and key points merge two sources: the front matter lists come
//! first, then the items of the body's `::: objectives` / `::: questions` / `::: keypoints`
//! blocks, and an item written in both places is shown once. Every item is HTML (front
//! matter text escaped, body items as rendered), so templates print them with `| safe`.

use serde_json::Value;

use super::ViewSource;
use super::page::{CourseInfo, FrontMatter, LessonView};
use super::progress::Link;
use crate::content::{PageKind, format_duration};
use crate::graph::{Node, PageId, SectionId, Site};
use crate::markdown::unfold;
use crate::template::print::scope_ids;

/// Where the extra pages of a course live, below the course's URL.
pub const PRINT_PATH: &str = "print/";
pub const INSTRUCTOR_PATH: &str = "instructor/";
pub const CERTIFICATE_PATH: &str = "certificate/";

/// One entry of `lessons` (course print page and instructor view), typed as `CONTRACT.md`
/// documents it; fields in the order templates have always received them.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CourseLesson<'a> {
    pub number: usize,
    pub title: &'a str,
    pub url: String,
    /// `lesson-3`, unique on the page.
    pub anchor: String,
    pub description: Option<&'a str>,
    pub module: Option<LessonModule<'a>>,
    /// True on a module's first lesson.
    pub module_start: bool,
    pub duration: Option<String>,
    pub duration_minutes: Option<u32>,
    pub starts_at: String,
    pub ends_at: String,
    /// HTML items, as `page.lesson` has them.
    pub objectives: Vec<String>,
    pub questions: Vec<String>,
    pub keypoints: Vec<String>,
    pub prerequisites: Vec<String>,
    /// HTML with solutions, hints and quiz answers unfolded, ids scoped by `anchor`.
    pub content: String,
    /// HTML.
    pub notes: Vec<String>,
}

/// `course` of the print page, the instructor view and the certificate page: the `course`
/// object lessons see, with the course page's own text and facts after it.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CourseFull<'a> {
    #[serde(flatten)]
    pub course: Option<CourseInfo<'a>>,
    pub description: Option<&'a str>,
    pub permalink: String,
    pub duration_minutes: Option<u32>,
    pub fields: FrontMatter<'a>,
    /// HTML of the course page.
    pub content: &'a str,
    /// HTML: the course page's instructor notes.
    pub notes: &'a [String],
    /// HTML items, front matter first.
    pub objectives: Vec<String>,
    pub prerequisites: Vec<String>,
}

/// A lesson's module on the course print page and instructor view.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LessonModule<'a> {
    pub title: &'a str,
    pub url: String,
    pub number: usize,
    pub description: Option<&'a str>,
    pub duration: Option<String>,
    /// HTML.
    pub notes: &'a [String],
}

/// One lesson of a course in reading order, with the module holding it.
struct Step {
    page: PageId,
    module: Option<SectionId>,
}

impl ViewSource<'_> {
    /// Whether a course section asks for a certificate (`certificate: true`).
    pub fn course_has_certificate(&self, course: SectionId) -> bool {
        has_certificate(self.site.unrecorded(), course)
    }

    /// The URLs of a course's print page, instructor view and certificate (if it has one),
    /// for its `course` object.
    pub(super) fn course_links(&self, id: SectionId) -> (String, String, Option<String>) {
        let base = &self.site.section(id).url_path;
        (
            self.url(&format!("{base}{PRINT_PATH}")),
            self.url(&format!("{base}{INSTRUCTOR_PATH}")),
            self.course_has_certificate(id)
                .then(|| self.url(&format!("{base}{CERTIFICATE_PATH}"))),
        )
    }

    /// The lessons of a course in reading order, through its modules (and modules within
    /// modules, which count as part of the outer module).
    fn steps(&self, course: SectionId) -> Vec<Step> {
        fn walk(
            view: &ViewSource<'_>,
            section: SectionId,
            module: Option<SectionId>,
            out: &mut Vec<Step>,
        ) {
            for node in view.site.section(section).children() {
                match *node {
                    Node::Page(page) => out.push(Step { page, module }),
                    Node::Section(child) => walk(view, child, module.or(Some(child)), out),
                }
            }
        }
        let mut steps = Vec::new();
        walk(self, course, None, &mut steps);
        steps
    }

    /// `page.lesson`: the merged lists, the lesson's number in the course and its module;
    /// `none` for pages that are not lessons.
    pub(super) fn lesson_view(&self, id: PageId) -> Option<LessonView<'_>> {
        let page = self.site.page(id);
        if page.kind != PageKind::Lesson {
            return None;
        }
        let fields = &page.doc.meta.fields;
        let blocks = &self.rendered(id).lesson_blocks;
        let (number, module) = self
            .site
            .section(page.section)
            .course
            .and_then(|course| {
                let steps = self.steps(course);
                steps
                    .iter()
                    .position(|s| s.page == id)
                    .map(|i| (Some(i + 1), steps[i].module))
            })
            .unwrap_or((None, None));
        Some(LessonView {
            number,
            module: module.map(|m| {
                let s = self.site.section(m);
                Link {
                    title: &s.title,
                    url: self.url(&s.url_path),
                }
            }),
            objectives: merged(fields.get("objectives"), &blocks.objectives),
            questions: merged(fields.get("questions"), &blocks.questions),
            keypoints: merged(fields.get("keypoints"), &blocks.keypoints),
            prerequisites: merged(fields.get("prerequisites"), &[]),
        })
    }

    /// The `course` variable of the print, instructor and certificate pages: the course
    /// object lessons see, plus the course page's own text and facts.
    pub fn course_full(&self, id: SectionId) -> Value {
        let section = self.site.section(id);
        let meta = section.meta();
        let rendered = self.section_rendered(id);
        let fields = meta.map(|m| &m.fields);
        let field = |name: &str| fields.and_then(|f| f.get(name));
        let course = CourseFull {
            course: self.course_and_handbook(id).0,
            description: meta.and_then(|m| m.description.as_deref()),
            permalink: self.absolute(&section.url_path),
            duration_minutes: self.site.duration_minutes(id),
            fields: FrontMatter(fields),
            content: &rendered.html,
            notes: &rendered.instructor_notes,
            objectives: merged(field("objectives"), &[]),
            prerequisites: merged(field("prerequisites"), &[]),
        };
        super::listing::to_json(&course)
    }

    /// `lessons` for the print page and the instructor view: every lesson in order with
    /// its text (solutions and quiz answers unfolded), instructor notes and timings.
    pub fn course_lessons(&self, id: SectionId) -> Vec<CourseLesson<'_>> {
        let mut elapsed = 0u32;
        let mut previous_module = None;
        let mut module_number = 0;
        self.steps(id)
            .into_iter()
            .enumerate()
            .map(|(index, step)| {
                let page = self.site.page(step.page);
                let rendered = self.rendered(step.page);
                let minutes = page.doc.meta.duration_minutes;
                let starts_at = elapsed;
                elapsed += minutes.unwrap_or(0);
                let module_start = step.module.is_some() && step.module != previous_module;
                if module_start {
                    module_number += 1;
                }
                previous_module = step.module;
                let module = step.module.map(|m| {
                    let s = self.site.section(m);
                    LessonModule {
                        title: &s.title,
                        url: self.url(&s.url_path),
                        number: module_number,
                        description: s.meta().and_then(|meta| meta.description.as_deref()),
                        duration: self.site.duration_minutes(m).map(format_duration),
                        notes: &self.section_rendered(m).instructor_notes,
                    }
                });
                let lesson = self.lesson_view(step.page).unwrap_or_default();
                let anchor = format!("lesson-{}", index + 1);
                let content = scope_ids(&unfold(&self.page_html(step.page)), &anchor);
                let notes = rendered
                    .instructor_notes
                    .iter()
                    .map(|note| scope_ids(note, &anchor))
                    .collect();
                CourseLesson {
                    number: index + 1,
                    title: &page.title,
                    url: self.url(&page.url_path),
                    anchor,
                    description: page.doc.meta.description.as_deref(),
                    module,
                    module_start,
                    duration: minutes.map(format_duration),
                    duration_minutes: minutes,
                    starts_at: clock(starts_at),
                    ends_at: clock(elapsed),
                    objectives: lesson.objectives,
                    questions: lesson.questions,
                    keypoints: lesson.keypoints,
                    prerequisites: lesson.prerequisites,
                    content,
                    notes,
                }
            })
            .collect()
    }
}

/// Whether a course section asks for a certificate (`certificate: true`).
pub fn has_certificate(site: &Site, course: SectionId) -> bool {
    site.section(course)
        .meta()
        .and_then(|m| m.fields.get("certificate"))
        == Some(&Value::Bool(true))
}

/// Hours and minutes from the start of a course: `0:00`, `1:30`.
fn clock(minutes: u32) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// Front matter items (text, escaped) then body items (HTML), without repeats.
fn merged(front_matter: Option<&Value>, body: &[String]) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let from_front_matter: Vec<String> = match front_matter {
        Some(Value::Array(list)) => list.iter().filter_map(item_text).collect(),
        Some(other) => item_text(other).into_iter().collect(),
        None => Vec::new(),
    };
    for item in from_front_matter
        .iter()
        .map(|text| crate::markdown::escape_html(text))
        .chain(body.iter().cloned())
    {
        if !item.trim().is_empty() && !items.contains(&item) {
            items.push(item);
        }
    }
    items
}

fn item_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_front_matter_first_without_repeats() {
        let fm = Value::from(vec!["Read <b>", "Write"]);
        let body = vec!["Write".to_string(), "Use <code>x</code>".to_string()];
        assert_eq!(
            merged(Some(&fm), &body),
            ["Read &lt;b&gt;", "Write", "Use <code>x</code>"]
        );
        assert_eq!(merged(Some(&Value::from("One")), &[]), ["One"]);
        assert!(merged(None, &[]).is_empty());
    }

    #[test]
    fn clock_times() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(95), "1:35");
    }
}
