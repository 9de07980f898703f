//! The extra outputs of every course: a print page with every lesson on one page, an
//! instructor view with notes and timings, and (with `certificate: true`) a certificate
//! page. Each is one job with its own template (`course-print.html`,
//! `course-instructor.html`, `certificate.html`), planned beside the course's own page so
//! collisions with a lesson called `print` are reported like any other.

use super::{Job, JobKind, JobRenderer, index_file, origin_of_section};
use crate::build::jobs::Prepared;
use crate::diagnostics::Diagnostic;
use crate::graph::{SectionId, Site};
use crate::template::views::course::{CERTIFICATE_PATH, INSTRUCTOR_PATH, PRINT_PATH};

/// Which extra page of a course a job renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoursePage {
    Print,
    Instructor,
    Certificate,
}

impl CoursePage {
    fn path(self) -> &'static str {
        match self {
            CoursePage::Print => PRINT_PATH,
            CoursePage::Instructor => INSTRUCTOR_PATH,
            CoursePage::Certificate => CERTIFICATE_PATH,
        }
    }

    fn template(self) -> &'static str {
        match self {
            CoursePage::Print => "course-print.html",
            CoursePage::Instructor => "course-instructor.html",
            CoursePage::Certificate => "certificate.html",
        }
    }

    /// `page_kind` in the template context.
    fn kind(self) -> &'static str {
        match self {
            CoursePage::Print => "course-print",
            CoursePage::Instructor => "course-instructor",
            CoursePage::Certificate => "certificate",
        }
    }
}

/// Jobs for the extra pages of every course section.
pub(super) fn plan_course_pages(site: &Site, certificate: impl Fn(SectionId) -> bool) -> Vec<Job> {
    let mut jobs = Vec::new();
    for section in &site.sections {
        let id = section.id();
        if section.kind != crate::content::SectionKind::Course {
            continue;
        }
        for page in [
            CoursePage::Print,
            CoursePage::Instructor,
            CoursePage::Certificate,
        ] {
            if page == CoursePage::Certificate && !certificate(id) {
                continue;
            }
            jobs.push(Job {
                output_path: index_file(&format!("{}{}", section.url_path, page.path())),
                kind: JobKind::Course { course: id, page },
                origin: origin_of_section(site, id),
            });
        }
    }
    jobs
}

impl JobRenderer<'_> {
    pub(super) fn course_page(
        &self,
        course: SectionId,
        page: CoursePage,
        job: &Job,
    ) -> Result<Prepared<'_>, Diagnostic> {
        let url_path = format!("{}{}", self.site.section(course).url_path, page.path());
        let mut context = self.context(&url_path, page.kind());
        context.insert_value("course", self.views.course_full(course));
        if page != CoursePage::Certificate {
            context.insert_value(
                "lessons",
                crate::template::views::listing::to_json(&self.views.course_lessons(course)),
            );
        }
        let name = self.pick(None, page.template(), page.template(), &job.origin)?;
        Ok(Prepared::Template { name, context })
    }
}
