/** The middle value (the upper one of an even count), as every bench table reports. */
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
