/**
 * An arrears is "constituted" for the housing benefit rules once the debt reaches twice the
 * monthly rent and charges; when the benefit is paid to the landlord (tiers payant) the benefit is
 * deducted first. The landlord must then report it to the CAF within two months.
 * Amounts are integer cents.
 */
export function isArrearsConstituted(arrearsCents: number, monthlyRentCents: number, benefitPaidToLandlordCents = 0): boolean {
  for (const [name, value] of Object.entries({ arrearsCents, monthlyRentCents, benefitPaidToLandlordCents })) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer number of cents`);
  }
  const netMonthly = Math.max(0, monthlyRentCents - benefitPaidToLandlordCents);
  return arrearsCents > 0 && arrearsCents >= 2 * netMonthly;
}
