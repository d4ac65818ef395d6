//! A refused form's complaints, field by field, in the visitor's language: shown next to each
//! field (the page's own rendering, or the script after a redirect) and, for visitors without
//! the script, listed with the fields' names in the message above the form.

use fixdesk_usecases::{
    ServiceError,
    domain::{DomainError, FieldError},
};

use crate::i18n::{Lang, Texts, error_text};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors {
    /// What the message above the form says.
    pub summary: Option<String>,
    fields: Vec<(String, String)>,
}

impl FieldErrors {
    pub fn none() -> Self {
        Self::default()
    }

    /// The complaints of a refusal; one that is not about fields is the summary alone.
    pub fn of(e: &ServiceError, lang: Lang) -> Self {
        let t = lang.texts();
        match e {
            ServiceError::Domain(DomainError::Invalid(list)) => {
                let fields: Vec<(String, String)> = list
                    .iter()
                    .map(|f| (f.field.to_string(), field_message(f, lang)))
                    .collect();
                let listed = fields
                    .iter()
                    .map(|(f, m)| format!("{}: {m}", field_label(t, f)))
                    .collect::<Vec<_>>()
                    .join("; ");
                Self {
                    summary: Some(format!("{} {listed}", t.form_has_errors)),
                    fields,
                }
            }
            ServiceError::Domain(d) if d.field().is_some() => {
                let text = error_text(e, lang).into_owned();
                let field = d.field().unwrap_or_default();
                Self {
                    summary: Some(text.clone()),
                    fields: vec![(field.to_string(), text)],
                }
            }
            e => Self {
                summary: Some(error_text(e, lang).into_owned()),
                fields: Vec::new(),
            },
        }
    }

    /// A complaint about one field (a file, say) with the message above the form.
    pub fn single(field: &str, message: String, t: &Texts) -> Self {
        Self {
            summary: Some(format!(
                "{} {}: {message}",
                t.form_has_errors,
                field_label(t, field)
            )),
            fields: vec![(field.to_string(), message)],
        }
    }

    /// What is wrong with `field`, if anything.
    pub fn on(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn into_parts(self) -> (Option<String>, Vec<(String, String)>) {
        (self.summary, self.fields)
    }
}

/// A field's name as its form labels it.
pub fn field_label<'a>(t: &'a Texts, field: &'a str) -> &'a str {
    match field {
        "title" => t.title,
        "description" => t.description,
        "room_number" => t.room,
        "priority" => t.priority,
        "status" => t.status,
        "category_id" => t.category,
        "equipment_id" => t.equipment_item,
        "resolution" => t.resolution,
        "message" => t.write_message,
        "username" => t.username,
        "password" | "new" => t.password,
        "email" => t.email,
        "full_name" => t.full_name,
        "name" => t.name,
        "attachments" | "file" => t.attachments,
        "time_zone" => t.time_zone,
        "language" => t.language,
        other => other,
    }
}

/// What is wrong with a field, in the visitor's words.
pub fn field_message(f: &FieldError, lang: Lang) -> String {
    let t = lang.texts();
    let limit = f.limit.unwrap_or(0).to_string();
    match f.kind {
        "missing" => t.err_required.to_string(),
        "string_too_short" if f.limit.unwrap_or(1) <= 1 => t.err_required.to_string(),
        "string_too_short" => t.err_too_short.replace("{}", &limit),
        "string_too_long" => t.err_too_long.replace("{}", &limit),
        "string_control_characters" => t.err_characters.to_string(),
        "enum" => t.err_choose.to_string(),
        _ => translated(&f.message, lang),
    }
}

/// The domain's free-worded complaints (written in English, the API's language) for Russian
/// pages; `None` for one already in Russian.
fn russian(message: &str) -> Option<&'static str> {
    Some(match message {
        "value is not a valid email address" => "Это не адрес электронной почты",
        "Unknown time zone" => "Неизвестный часовой пояс",
        m if m.starts_with("Unknown time zone:") => {
            "Неизвестный часовой пояс: укажите имя из базы часовых поясов, например Europe/Moscow"
        }
        "A calendar needs working hours on at least one day of the week" => {
            "В календаре должен быть хотя бы один рабочий день"
        }
        "A cost is an amount like 1250.50 (at most two decimals, not negative)" => {
            "Стоимость — сумма вида 1250,50 (не больше двух знаков после запятой, не отрицательная)"
        }
        "A currency is a three-letter code such as EUR or RUB" => {
            "Валюта — трёхбуквенный код, например RUB или EUR"
        }
        "A holiday is a date (2026-12-31) or a month and day for every year (12-31)" => {
            "Праздник — дата (2026-12-31) или месяц и день каждого года (12-31)"
        }
        "A schedule is for one item or for one category" => {
            "План составляется для одного предмета или для одной категории"
        }
        "A start date between the years 2000 and 2100" => "Дата начала — между 2000 и 2100 годом",
        m if m.starts_with("A target is between 1 and") => {
            "Цель — от 1 минуты рабочего времени до года"
        }
        "An absence ends on or after the day it starts" => {
            "Отсутствие заканчивается в день начала или позже"
        }
        "At most 366 days ahead" => "Не больше чем за 366 дней",
        "At most 50 lines of at most 200 characters" => "Не больше 50 строк по 200 символов",
        "Each kind's mail should be off, instant, hourly or daily" => {
            "Письма каждого вида: выключены, сразу, раз в час или раз в день"
        }
        "Every 1 to 366 units" => "Каждые 1–366 единиц",
        "Filters are too long" => "Слишком длинный набор фильтров",
        "Language should be ru or en" => "Язык — ru или en",
        "Name at least one agent" => "Укажите хотя бы одного сотрудника",
        "One to 24 dates of the year as MM-DD (not 02-29)" => {
            "От 1 до 24 дат года в виде ММ-ДД (не 02-29)"
        }
        "The first response cannot be due after the resolution" => {
            "Срок первого ответа не может быть позже срока решения"
        }
        "Working hours look like 09:00-18:00 (start before end, 00:00 to 24:00)" => {
            "Рабочие часы записываются как 09:00-18:00 (начало раньше конца, от 00:00 до 24:00)"
        }
        "Working hours name seven days, Monday first (null for a day off)" => {
            "Рабочие часы — семь дней, начиная с понедельника (пусто — выходной)"
        }
        _ => return None,
    })
}

/// The domain's few free-worded complaints, in English for English pages.
fn translated(message: &str, lang: Lang) -> String {
    if lang == Lang::Ru {
        return russian(message).map_or_else(|| message.to_string(), str::to_string);
    }
    match message {
        "Имя пользователя не может содержать пробелы" => {
            "A username cannot contain spaces"
        }
        "Пароль не может состоять из одних пробелов" => {
            "A password cannot be only spaces"
        }
        "value is not a valid email address" => "This is not an e-mail address",
        m if m.starts_with("Пароль должен содержать") => {
            "The password must have 8 to 128 characters"
        }
        other => other,
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid(list: Vec<FieldError>) -> ServiceError {
        ServiceError::Domain(DomainError::Invalid(list))
    }

    #[test]
    fn each_field_is_named_in_the_visitors_language() {
        let e = invalid(vec![
            FieldError::new(
                "title",
                "string_too_short",
                "String should have at least 3 characters",
            )
            .with_limit(3),
            FieldError::new("room_number", "string_too_short", "…").with_limit(1),
        ]);
        let ru = FieldErrors::of(&e, Lang::Ru);
        assert_eq!(ru.on("title"), Some("Не короче 3 символов"));
        assert_eq!(ru.on("room_number"), Some("Заполните это поле"));
        let en = FieldErrors::of(&e, Lang::En);
        assert_eq!(en.on("title"), Some("At least 3 characters"));
        let summary = en.summary.unwrap_or_default();
        assert!(
            summary.contains("Room: Please fill in this field"),
            "{summary}"
        );
        assert!(!summary.contains("String should"), "{summary}");
    }

    /// The complaints the domain words freely (in English, for the API) read in Russian on a
    /// Russian page: raised here by the domain's own parsers, not copied.
    #[test]
    fn free_worded_complaints_are_russian_on_russian_pages() {
        use fixdesk_usecases::domain::{
            money::Money,
            preventive::{Period, YearDays},
            sla::CalendarDraft,
        };
        let cyrillic = |f: &FieldError| {
            let m = field_message(f, Lang::Ru);
            assert!(
                m.chars().any(|c| ('а'..='я').contains(&c)),
                "{}: {m}",
                f.message
            );
        };
        let Err(DomainError::Invalid(list)) = CalendarDraft::parse(
            "Office",
            "Mars/Base",
            &vec![Some("18:00-09:00".to_string()); 7],
            &["31-31".to_string()],
        ) else {
            panic!("refused");
        };
        assert!(list.len() >= 3, "{list:?}");
        list.iter().for_each(cyrillic);
        for e in [
            Money::parse("-1", "RUB").unwrap_err(),
            Money::parse("1", "RUBLES").unwrap_err(),
            YearDays::parse(&["02-29".to_string()]).unwrap_err(),
            Period::parse("days", 0).unwrap_err(),
        ] {
            cyrillic(&e);
        }
    }

    #[test]
    fn a_rule_about_one_field_is_shown_at_that_field() {
        let e = ServiceError::Domain(DomainError::ResolutionRequired);
        let en = FieldErrors::of(&e, Lang::En);
        assert_eq!(
            en.on("resolution"),
            Some("Describe the resolution: a ticket cannot be closed without one.")
        );
    }

    #[test]
    fn other_refusals_are_a_summary_only() {
        let e = ServiceError::Domain(DomainError::TicketClosed);
        let en = FieldErrors::of(&e, Lang::En);
        assert_eq!(en.on("title"), None);
        assert_eq!(en.summary.as_deref(), Some("The ticket is closed."));
    }
}
