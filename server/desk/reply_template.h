#pragma once
// Variable filling for quick replies (and later greeting / closing messages): "{{contact.name}}" style
// placeholders, spaces allowed inside the braces. Pure functions, no database.

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>

namespace atende::server::desk {

struct RenderedText {
    QString text;
    QStringList missing; // variables without a value, in order of first appearance, each once
};

// Replaces every {{name}} whose value in `values` is non-empty; others stay as written and are listed in
// `missing`. Single braces and unterminated "{{" are plain text.
RenderedText renderTemplate(const QString &body, const QHash<QString, QString> &values);

// "Bom dia" / "Boa tarde" / "Boa noite" (language "pt_BR") or "Good morning" / "Good afternoon" /
// "Good evening" for the local time `local` (05:00-11:59, 12:00-17:59, otherwise evening).
QString greetingFor(const QDateTime &local, const QString &language);

// The first word of a name ("Maria da Silva" -> "Maria").
QString firstName(const QString &name);

} // namespace atende::server::desk
