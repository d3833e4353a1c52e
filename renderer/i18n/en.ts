// English. Typed against the Dutch source: a missing or extra key does not compile.
import type { DeepStringRecord } from './catalog.js';
import type { nl } from './nl.js';

export type Catalog = DeepStringRecord<typeof nl>;

export const en: Catalog = {
  app: {
    name: 'Ticket machine',
    demoBadge: 'DEMO',
    demoDescription: 'Demonstration mode: no real orders are collected.',
  },
  language: {
    label: 'Language',
    nl: 'Nederlands',
    en: 'English',
    nlShort: 'NL',
    enShort: 'EN',
  },
  common: {
    back: 'Back',
    stop: 'Stop',
  },
  connection: {
    connectingTitle: 'Connecting…',
    connectingBody: 'The machine is starting. Please wait a moment.',
    lostTitle: 'Connection lost',
    lostBody: 'We are reconnecting. Please wait a moment, you do not need to do anything.',
  },
  card: {
    heading: 'Your card',
    number: 'Card number',
    balance: 'Balance',
    expiry: 'Valid until',
  },
  order: {
    kaartservicecode: 'Kaartservicecode',
    kaartservicecodeDetail: 'You will see the code once you have collected it.',
    topup: 'Balance {{amount}}',
    topupDetail: 'Will be added to your card',
    validity: 'Valid from {{from}} up to and including {{until}}',
    orderedAt: 'Ordered on {{date}}',
  },
  products: {
    DAL_VOORDEEL: 'Off-Peak Discount',
    ALTIJD_VOORDEEL: 'Always Discount',
    WEEKEND_VRIJ: 'Weekend Free Travel',
    TRAJECT_VRIJ: 'Route Free Travel',
    unknown: 'Travel product',
  },
  outOfService: {
    title: 'Out of service',
    reasons: {
      starting: 'The machine is starting. Please wait a moment.',
      noReader: 'The card reader is not working at the moment. Please use another machine or ask a member of NS staff for help.',
    },
    fallback: 'The machine cannot show this right now. Please use another machine or ask a member of NS staff for help.',
  },
  idle: {
    title: 'Hold your OV-chipkaart to the reader',
    body: 'Collect what you ordered online here: a travel product, balance or your kaartservicecode.',
  },
  readingCard: {
    title: 'Reading your card',
    body: 'Keep your card still in front of the reader.',
  },
  unknownCard: {
    title: 'We cannot use this card',
    reasons: {
      foreignCard: 'This card is not an OV-chipkaart. Please hold your OV-chipkaart to the reader.',
      corruptCard: 'The data on this card is damaged. Please take your card to an NS service desk, where we will help you.',
      expiredCard: 'This OV-chipkaart has expired. Please contact NS Customer Service, they will help you with your order.',
      serviceCard: 'This is a staff service card. Please hold a traveller’s OV-chipkaart to the reader.',
      unreadable: 'The card could not be read properly. Take the card away and hold it still to the reader again.',
    },
  },
  menu: {
    title: 'What would you like to do?',
    pickup: 'Collect order',
  },
  loadingOrders: {
    title: 'Looking up your orders',
    body: 'Please wait a moment. Keep your card on the reader.',
  },
  orders: {
    title: 'Choose an order',
    body: 'These orders are ready for your card.',
  },
  noOrders: {
    title: 'No orders found',
    body: 'There are no orders ready for this card.',
    hint: 'Did you order just now? It can take a little while before your order is ready here. Please try again later.',
  },
  confirm: {
    title: 'Is this the right order?',
    body: 'Keep your card on the reader until collecting is finished.',
    ok: 'OK',
    cancel: 'Cancel',
  },
  delivering: {
    title: 'Do not remove your card',
    body: 'Your card is being written. Keep it still on the reader, this takes a few seconds.',
  },
  delivered: {
    titleCode: 'Your kaartservicecode',
    codeLabel: 'Kaartservicecode',
    codeOnlyNow: 'This code is shown only now. Write it down before you continue.',
    titleProduct: 'The product is on your card',
    titleTopup: 'The balance is on your card',
    topupAmount: '{{amount}} has been added to your card.',
    newBalance: 'New balance: {{balance}}',
    another: 'Collect another order',
    done: 'Done',
  },
  interrupted: {
    title: 'Hold the same card to the reader again',
    body: 'The card was taken away before collecting was finished. Your order is not lost: hold the same card to the reader and we will finish it.',
    differentCard: 'This is a different card',
    differentCardHint: 'Please hold the card you started with to the reader.',
    deadline_one: 'You have {{count}} second to do this.',
    deadline_other: 'You have {{count}} seconds to do this.',
  },
  failed: {
    title: 'Your order could not be collected',
    orderSafe: 'Your order is not lost.',
    retry: 'Try again',
    reasons: {
      cardRemoved:
        'The card was not held to the reader again in time. Hold the same card to the reader again and we will finish collecting.',
      balanceLimit:
        'This balance would take your card above the maximum of {{max}}. Travel with your card first and collect the balance later.',
      noFreeSlot:
        'There is no room on your card for another product. Collect it once another product has expired, or ask for help at an NS service desk.',
      cardExpired: 'Your card has expired, so the product cannot be added. Please contact NS Customer Service, they will help you.',
      orderUnavailable:
        'This order cannot be collected right now. Please try again later or contact NS Customer Service.',
      wrongCard: 'This order belongs to a different card. Please hold the card you ordered for to the reader.',
      timeout: 'Collecting took too long and was stopped. Hold your card to the reader and try again.',
      internal: 'Something went wrong in the machine. Please try again. If that does not work, please use another machine.',
    },
  },
  inactivity: {
    title: 'Are you still there?',
    body: 'If you do nothing, we will stop shortly. Would you like to continue?',
    continue: 'Yes, continue',
  },
  dev: {
    title: 'Developer tools',
    subtitle: 'Simulated card reader, demonstration mode only.',
    cardsHeading: 'Hold a card to the reader',
    present: 'On the reader: {{label}}',
    noCard: 'No card on the reader',
    remove: 'Remove card',
    tearHeading: 'Tear the card away while writing',
    tearLabel: 'After how many block writes',
    tearArm: 'Arm for the next delivery',
    tearArmed_one: 'Armed: the next delivery breaks off after {{count}} block write.',
    tearArmed_other: 'Armed: the next delivery breaks off after {{count}} block writes.',
    tearNone: 'Not armed.',
  },
};
