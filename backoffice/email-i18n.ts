// The words of the e-mails a traveller gets in their own language (issue 14: a
// kaartservicecode requested online): nl first, as NS writes to its travellers; en, de, fr
// as a native speaker would. Never a code: the code is revealed only at the ticket machine,
// with the card. {{card}} is the card number masked to its last four digits.
import type { Language } from '../domain/index.js';

export interface MailText {
  readonly subject: string;
  readonly text: string;
}
export interface MailCatalog {
  readonly 'code-requested': MailText;
  readonly 'code-ready': MailText;
  /** The code was revealed at a machine (the 'picked-up' e-mail of a code requested online). */
  readonly 'code-picked-up': MailText;
}

export const MAIL_CATALOGS: Readonly<Record<Language, MailCatalog>> = {
  nl: {
    'code-requested': {
      subject: 'We hebben je aanvraag voor een kaartservicecode ontvangen',
      text:
        'Beste reiziger,\n\nWe hebben je aanvraag voor een kaartservicecode voor je OV-chipkaart {{card}} ontvangen. ' +
        'Je krijgt nog een e-mail zodra de code voor je klaarstaat bij de kaartautomaat.\n\n' +
        'Heb je dit niet zelf aangevraagd? Dan hoef je niets te doen: de code is alleen op te halen met de kaart zelf.\n\nMet vriendelijke groet,\nNS',
    },
    'code-ready': {
      subject: 'Je kaartservicecode staat klaar bij de kaartautomaat',
      text:
        'Beste reiziger,\n\nJe kaartservicecode voor OV-chipkaart {{card}} staat klaar. Houd je kaart voor de lezer van een NS-kaartautomaat, ' +
        'kies "Ophalen bestelling", kies de kaartservicecode en druk op "Akkoord". De automaat toont de code.\n\n' +
        'Ga daarna naar Mijn NS, kies "OV-chipkaart koppelen" en vul je kaartnummer en de code in. ' +
        'De code is 30 dagen geldig nadat je hem hebt opgehaald en werkt één keer.\n\nMet vriendelijke groet,\nNS',
    },
    'code-picked-up': {
      subject: 'Je kaartservicecode is opgehaald',
      text:
        'Beste reiziger,\n\nDe kaartservicecode voor OV-chipkaart {{card}} is zojuist opgehaald bij een kaartautomaat. ' +
        'Koppel je kaart nu in Mijn NS via "OV-chipkaart koppelen".\n\n' +
        'Heb jij de code niet opgehaald? Neem dan contact op met NS Klantenservice.\n\nMet vriendelijke groet,\nNS',
    },
  },
  en: {
    'code-requested': {
      subject: 'We have received your request for a card service code',
      text:
        'Dear traveller,\n\nWe have received your request for a card service code (kaartservicecode) for your OV-chipkaart {{card}}. ' +
        'We will email you again as soon as the code is ready for you at the ticket machine.\n\n' +
        'Didn’t request this yourself? There is nothing you need to do: the code can only be collected with the card itself.\n\nKind regards,\nNS',
    },
    'code-ready': {
      subject: 'Your card service code is ready at the ticket machine',
      text:
        'Dear traveller,\n\nYour card service code for OV-chipkaart {{card}} is ready. Hold your card against the reader of an NS ticket machine, ' +
        'choose "Ophalen bestelling" (collect order), select the kaartservicecode and press "Akkoord" (OK). The machine will show the code.\n\n' +
        'Then go to Mijn NS, choose "OV-chipkaart koppelen" (link OV-chipkaart) and enter your card number and the code. ' +
        'The code can be used once, within 30 days of collecting it.\n\nKind regards,\nNS',
    },
    'code-picked-up': {
      subject: 'Your card service code has been collected',
      text:
        'Dear traveller,\n\nThe card service code for OV-chipkaart {{card}} has just been collected at a ticket machine. ' +
        'You can now link your card in Mijn NS under "OV-chipkaart koppelen" (link OV-chipkaart).\n\n' +
        'Wasn’t this you? Please contact NS Customer Service.\n\nKind regards,\nNS',
    },
  },
  de: {
    'code-requested': {
      subject: 'Wir haben Ihre Anfrage für einen Kartenservicecode erhalten',
      text:
        'Liebe Reisende, lieber Reisender,\n\nwir haben Ihre Anfrage für einen Kartenservicecode (kaartservicecode) für Ihre OV-chipkaart {{card}} erhalten. ' +
        'Sobald der Code am Fahrkartenautomaten für Sie bereitliegt, erhalten Sie eine weitere E-Mail.\n\n' +
        'Sie haben das nicht selbst beantragt? Dann müssen Sie nichts tun: Der Code kann nur mit der Karte selbst abgeholt werden.\n\nMit freundlichen Grüßen\nNS',
    },
    'code-ready': {
      subject: 'Ihr Kartenservicecode liegt am Fahrkartenautomaten bereit',
      text:
        'Liebe Reisende, lieber Reisender,\n\nIhr Kartenservicecode für die OV-chipkaart {{card}} liegt bereit. Halten Sie Ihre Karte an das Lesegerät eines NS-Fahrkartenautomaten, ' +
        'wählen Sie „Ophalen bestelling“ (Bestellung abholen), dann den Kartenservicecode, und drücken Sie „Akkoord“ (OK). Der Automat zeigt den Code an.\n\n' +
        'Gehen Sie danach zu Mijn NS, wählen Sie „OV-chipkaart koppelen“ (OV-chipkaart verknüpfen) und geben Sie Ihre Kartennummer und den Code ein. ' +
        'Der Code gilt einmal, innerhalb von 30 Tagen nach der Abholung.\n\nMit freundlichen Grüßen\nNS',
    },
    'code-picked-up': {
      subject: 'Ihr Kartenservicecode wurde abgeholt',
      text:
        'Liebe Reisende, lieber Reisender,\n\nder Kartenservicecode für die OV-chipkaart {{card}} wurde soeben an einem Fahrkartenautomaten abgeholt. ' +
        'Sie können Ihre Karte jetzt in Mijn NS unter „OV-chipkaart koppelen“ (OV-chipkaart verknüpfen) verknüpfen.\n\n' +
        'Das waren nicht Sie? Bitte wenden Sie sich an den NS-Kundenservice.\n\nMit freundlichen Grüßen\nNS',
    },
  },
  fr: {
    'code-requested': {
      subject: 'Nous avons bien reçu votre demande de code de service',
      text:
        'Chère voyageuse, cher voyageur,\n\nNous avons bien reçu votre demande de code de service (kaartservicecode) pour votre OV-chipkaart {{card}}. ' +
        'Vous recevrez un nouvel e-mail dès que le code vous attendra au distributeur de billets.\n\n' +
        'Vous n’êtes pas à l’origine de cette demande ? Vous n’avez rien à faire : le code ne peut être retiré qu’avec la carte elle-même.\n\nCordialement,\nNS',
    },
    'code-ready': {
      subject: 'Votre code de service vous attend au distributeur de billets',
      text:
        'Chère voyageuse, cher voyageur,\n\nVotre code de service pour l’OV-chipkaart {{card}} est prêt. Présentez votre carte devant le lecteur d’un distributeur de billets NS, ' +
        'choisissez « Ophalen bestelling » (retirer une commande), sélectionnez le kaartservicecode et appuyez sur « Akkoord » (valider). Le distributeur affiche le code.\n\n' +
        'Rendez-vous ensuite sur Mijn NS, choisissez « OV-chipkaart koppelen » (associer une OV-chipkaart) et saisissez votre numéro de carte et le code. ' +
        'Le code est valable une seule fois, pendant 30 jours après son retrait.\n\nCordialement,\nNS',
    },
    'code-picked-up': {
      subject: 'Votre code de service a été retiré',
      text:
        'Chère voyageuse, cher voyageur,\n\nLe code de service de l’OV-chipkaart {{card}} vient d’être retiré à un distributeur de billets. ' +
        'Vous pouvez maintenant associer votre carte sur Mijn NS, rubrique « OV-chipkaart koppelen » (associer une OV-chipkaart).\n\n' +
        'Ce n’était pas vous ? Contactez le service clientèle de NS.\n\nCordialement,\nNS',
    },
  },
};

/** The card number as an e-mail shows it: its last four digits. */
export const maskedCard = (cardNumber: string): string => `•••• ${cardNumber.slice(-4)}`;

export function mailText(language: Language, template: keyof MailCatalog, cardNumber: string): MailText {
  const { subject, text } = MAIL_CATALOGS[language][template];
  return { subject, text: text.replaceAll('{{card}}', maskedCard(cardNumber)) };
}
