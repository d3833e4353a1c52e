import type { ReactNode } from 'react';

export interface ButtonProps {
  readonly onClick: () => void;
  readonly children: ReactNode;
  readonly variant?: 'primary' | 'secondary';
  readonly disabled?: boolean;
}

export function Button({ onClick, children, variant = 'primary', disabled = false }: ButtonProps) {
  return (
    <button type="button" className={`btn btn--${variant}`} onClick={onClick} disabled={disabled}>
      {children}
    </button>
  );
}
