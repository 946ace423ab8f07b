//! Progress of long work drawn on standard error when it is a terminal,
//! and nothing at all when it is not (a pipe, a file, CI). The library
//! reports through a callback; this module turns the reports into bars.

use std::io::IsTerminal as _;
use std::path::Path;

use govshare::{Progress, ProgressStage, Registry};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::CliError;

/// The bars of one command, one stage at a time.
pub struct Bars {
    enabled: bool,
    current: Option<(ProgressStage, ProgressBar)>,
}

impl Bars {
    /// Bars on standard error, drawn only when it is a terminal.
    pub fn stderr() -> Self {
        Self {
            enabled: std::io::stderr().is_terminal(),
            current: None,
        }
    }

    /// Takes one report from the library.
    pub fn update(&mut self, p: Progress) {
        if !self.enabled {
            return;
        }
        let same = matches!(&self.current, Some((stage, _)) if *stage == p.stage);
        if !same {
            self.clear();
            let bar = ProgressBar::with_draw_target(p.total, ProgressDrawTarget::stderr());
            bar.set_style(style(p.stage, p.total.is_some()));
            bar.set_message(p.stage.label());
            self.current = Some((p.stage, bar));
        }
        if let Some((_, bar)) = &self.current {
            if let Some(total) = p.total {
                bar.set_length(total);
            }
            bar.set_position(p.done);
        }
    }

    /// Clears the bar drawn last.
    pub fn clear(&mut self) {
        if let Some((_, bar)) = self.current.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        self.clear();
    }
}

fn style(stage: ProgressStage, known_total: bool) -> ProgressStyle {
    let template = match (stage, known_total) {
        (ProgressStage::ReadRegistry, _) => {
            "{msg} [{bar:32}] {binary_bytes}/{binary_total_bytes} ({eta})"
        }
        (_, true) => "{msg} [{bar:32}] {human_pos}/{human_len} ({eta})",
        (_, false) => "{spinner} {msg}: {human_pos}",
    };
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// A registry file, with progress while it loads.
pub fn load_registry(path: &Path) -> Result<Registry, CliError> {
    let mut bars = Bars::stderr();
    let registry = Registry::from_path_with_progress(path, &mut |p| bars.update(p));
    bars.clear();
    registry.map_err(|e| CliError::input(&e))
}
