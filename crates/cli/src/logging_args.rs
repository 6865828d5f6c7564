//! The logging plugin's options (`_pytest/logging.py`), each also an ini option of the same
//! name, which applies when the option is not given.

use clap::Args as ClapArgs;

use ferrotest_executor::OptionValue;

#[derive(Debug, Clone, Default, ClapArgs)]
pub struct LoggingArgs {
    /// Level of messages to catch/display. Not set by default, so it depends on the
    /// root/parent log handler's effective level, where it is "WARNING" by default.
    #[arg(long = "log-level", value_name = "LEVEL")]
    pub log_level: Option<String>,

    /// Log format used by the logging module.
    #[arg(long = "log-format", value_name = "LOG_FORMAT")]
    pub log_format: Option<String>,

    /// Log date format used by the logging module.
    #[arg(long = "log-date-format", value_name = "LOG_DATE_FORMAT")]
    pub log_date_format: Option<String>,

    /// CLI logging level.
    #[arg(long = "log-cli-level", value_name = "LOG_CLI_LEVEL")]
    pub log_cli_level: Option<String>,

    /// Log format used by the logging module.
    #[arg(long = "log-cli-format", value_name = "LOG_CLI_FORMAT")]
    pub log_cli_format: Option<String>,

    /// Log date format used by the logging module.
    #[arg(long = "log-cli-date-format", value_name = "LOG_CLI_DATE_FORMAT")]
    pub log_cli_date_format: Option<String>,

    /// Path to a file when logging will be written to.
    #[arg(long = "log-file", value_name = "LOG_FILE")]
    pub log_file: Option<String>,

    /// Log file open mode.
    #[arg(long = "log-file-mode", value_name = "{w,a}", value_parser = ["w", "a"])]
    pub log_file_mode: Option<String>,

    /// Log file logging level.
    #[arg(long = "log-file-level", value_name = "LOG_FILE_LEVEL")]
    pub log_file_level: Option<String>,

    /// Log format used by the logging module.
    #[arg(long = "log-file-format", value_name = "LOG_FILE_FORMAT")]
    pub log_file_format: Option<String>,

    /// Log date format used by the logging module.
    #[arg(long = "log-file-date-format", value_name = "LOG_FILE_DATE_FORMAT")]
    pub log_file_date_format: Option<String>,

    /// Auto-indent multiline messages passed to the logging module. Accepts true|on,
    /// false|off or an integer.
    #[arg(long = "log-auto-indent", value_name = "LOG_AUTO_INDENT")]
    pub log_auto_indent: Option<String>,

    /// Disable a logger by name. Can be passed multiple times.
    #[arg(long = "log-disable", value_name = "LOGGER_DISABLE", action = clap::ArgAction::Append)]
    pub logger_disable: Vec<String>,
}

/// The options a blocked logging plugin (`-p no:logging`) would have added.
pub const LOGGING_OPTIONS: [&str; 13] = [
    "--log-level",
    "--log-format",
    "--log-date-format",
    "--log-cli-level",
    "--log-cli-format",
    "--log-cli-date-format",
    "--log-file",
    "--log-file-mode",
    "--log-file-level",
    "--log-file-format",
    "--log-file-date-format",
    "--log-auto-indent",
    "--log-disable",
];

impl LoggingArgs {
    /// The options under pytest's destination names, for `config.getoption`.
    pub fn options(&self) -> Vec<(String, OptionValue)> {
        let text = |value: &Option<String>| value.clone().map_or(OptionValue::None, OptionValue::Str);
        vec![
            ("log_level".into(), text(&self.log_level)),
            ("log_format".into(), text(&self.log_format)),
            ("log_date_format".into(), text(&self.log_date_format)),
            ("log_cli_level".into(), text(&self.log_cli_level)),
            ("log_cli_format".into(), text(&self.log_cli_format)),
            ("log_cli_date_format".into(), text(&self.log_cli_date_format)),
            ("log_file".into(), text(&self.log_file)),
            ("log_file_mode".into(), text(&self.log_file_mode)),
            ("log_file_level".into(), text(&self.log_file_level)),
            ("log_file_format".into(), text(&self.log_file_format)),
            ("log_file_date_format".into(), text(&self.log_file_date_format)),
            ("log_auto_indent".into(), text(&self.log_auto_indent)),
            ("logger_disable".into(), OptionValue::List(self.logger_disable.clone())),
        ]
    }
}
