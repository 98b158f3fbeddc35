#pragma once
// Installs the interface translation (and Qt's own, when the system has it) for one locale.
//
// Catalogues are embedded as :/i18n/atende_<locale>.qm. Lookup follows the locale's UI languages
// (pt-BR, pt, ...); any other Portuguese falls back to pt_BR, anything else without a catalogue
// shows the English source texts.

#include <QLocale>
#include <QString>
#include <QTranslator>
#include <memory>

namespace atende::app::core {

class Localization {
public:
    Localization() = default;
    ~Localization();
    Localization(const Localization &) = delete;
    Localization &operator=(const Localization &) = delete;

    // Replaces what a previous install() put in place. Also makes `locale` the default QLocale
    // (number and date formats). Returns false when no catalogue of ours matched.
    bool install(const QLocale &locale);
    void uninstall();

    // The embedded catalogue in use, e.g. ":/i18n/atende_pt_BR.qm"; empty when none.
    QString catalogue() const { return m_catalogue; }

    static constexpr const char *kResourceDirectory = ":/i18n";

private:
    std::unique_ptr<QTranslator> m_app;
    std::unique_ptr<QTranslator> m_qt;
    QString m_catalogue;
};

} // namespace atende::app::core
