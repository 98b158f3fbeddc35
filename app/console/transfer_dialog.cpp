#include "app/console/transfer_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>

namespace atende::app::console {

TransferDialog::TransferDialog(const QList<Choice> &sectors, const QList<Choice> &agents, QWidget *parent)
    : QDialog(parent)
    , m_toSector(new QRadioButton(tr("To a sector")))
    , m_toAgent(new QRadioButton(tr("To an agent")))
    , m_sectors(new QComboBox)
    , m_agents(new QComboBox)
    , m_reason(new QLineEdit)
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setObjectName(QStringLiteral("transferDialog"));
    setWindowTitle(tr("Transfer ticket"));
    m_sectors->setObjectName(QStringLiteral("transferSector"));
    m_agents->setObjectName(QStringLiteral("transferAgent"));
    m_reason->setObjectName(QStringLiteral("transferReason"));
    m_reason->setPlaceholderText(tr("Why? (optional, kept in the timeline)"));
    m_sectors->addItem(tr("Choose a sector"), QString());
    for (const Choice &c : sectors)
        m_sectors->addItem(c.name, c.id);
    m_agents->addItem(tr("Choose an agent"), QString());
    for (const Choice &c : agents)
        m_agents->addItem(c.name, c.id);
    m_toSector->setChecked(true);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Transfer"));
    m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Cancel"));

    auto *form = new QFormLayout(this);
    form->addRow(m_toSector, m_sectors);
    form->addRow(m_toAgent, m_agents);
    form->addRow(tr("Reason"), m_reason);
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (canAccept())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_toSector, &QRadioButton::toggled, this, &TransferDialog::update);
    connect(m_sectors, &QComboBox::currentIndexChanged, this, &TransferDialog::update);
    connect(m_agents, &QComboBox::currentIndexChanged, this, &TransferDialog::update);
    update();
}

QString TransferDialog::sectorId() const
{
    return m_toSector->isChecked() ? m_sectors->currentData().toString() : QString();
}

QString TransferDialog::userId() const
{
    return m_toAgent->isChecked() ? m_agents->currentData().toString() : QString();
}

QString TransferDialog::reason() const
{
    return m_reason->text().trimmed();
}

bool TransferDialog::canAccept() const
{
    return !sectorId().isEmpty() || !userId().isEmpty();
}

void TransferDialog::update()
{
    m_sectors->setEnabled(m_toSector->isChecked());
    m_agents->setEnabled(m_toAgent->isChecked());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(canAccept());
}

} // namespace atende::app::console
