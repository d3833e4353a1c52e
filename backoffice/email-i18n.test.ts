// The travellers' e-mails in four languages: every language has both, with the masked card
// and the next step (the menu item as the machine names it, in Dutch), and none has room for
// a code; an e-mail row is rendered in its own language.
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../domain/index.js';
import { renderEmail } from './email.js';
import { MAIL_CATALOGS } from './email-i18n.js';

describe('the e-mails of a kaartservicecode requested online', () => {
  it.each(LANGUAGES)('%s: both e-mails, the card masked, the next step, no code', (language) => {
    const catalog = MAIL_CATALOGS[language];
    for (const template of ['code-requested', 'code-ready', 'code-picked-up'] as const) {
      const { subject, text } = catalog[template];
      expect(subject.length).toBeGreaterThan(10);
      expect(text).toContain('{{card}}');
      expect(`${subject}${text}`).not.toMatch(/\{\{(?!card\}\})/);
    }
    expect(catalog['code-ready'].text).toContain('Ophalen bestelling');
    expect(catalog['code-ready'].text).toContain('OV-chipkaart koppelen');
    const mail = renderEmail({ id: 1, orderId: 'o_1', to: 'a@example.org', template: 'code-ready', attempts: 0, language, cardNumber: '3528010012345678' });
    expect(mail.subject).toBe(catalog['code-ready'].subject);
    expect(mail.text).toContain('•••• 5678');
    expect(mail.text).not.toContain('3528010012345678');
  });
  it.each(LANGUAGES)('%s: the pickup of a code requested online is told in that language; other orders keep the older text', (language) => {
    const row = { id: 1, orderId: 'o_1', to: 'a@example.org', template: 'picked-up' as const, attempts: 0, cardNumber: '3528010012345678' };
    expect(renderEmail({ ...row, language }).subject).toBe(MAIL_CATALOGS[language]['code-picked-up'].subject);
    expect(renderEmail({ ...row, language: null }).subject).toBe('Picked up');
  });
  it('the languages differ (no catalog copied from another)', () => {
    const subjects = LANGUAGES.map((l) => MAIL_CATALOGS[l]['code-ready'].subject);
    expect(new Set(subjects).size).toBe(LANGUAGES.length);
  });
});
