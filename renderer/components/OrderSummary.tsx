import type { OrderView } from '../../kiosk/contract.js';
import { useKiosk } from '../kiosk-context.js';
import { orderText } from './order-text.js';

/** An order as a block of text; inside a button too (spans only, styled as blocks). */
export function OrderSummary({ order }: { readonly order: OrderView }) {
  const { t, money, date } = useKiosk();
  const text = orderText(order, t, money, date);
  return (
    <span className={`order order--${order.kind}`}>
      <span className="order-title">{text.title}</span>
      {text.details.map((detail) => (
        <span className="order-detail" key={detail}>
          {detail}
        </span>
      ))}
    </span>
  );
}
